import { z } from "zod";
import { CannedResponseInput, CannedResponseList, CannedResponseQuery, CannedResponseResponse, CannedResponseUpdate } from "../../../shared/schemas/canned.js";
import { Empty, uuid } from "../../../shared/schemas/common.js";
import type { Ctx } from "../../context.js";
import { createCanned, deleteCanned, listCanned, updateCanned } from "../../domain/canned-responses.js";
import { everyone, managers, type RouteTable } from "../route.js";

const CannedIdParams = z.object({ id: uuid });

/** Saved replies: the whole workspace uses them; admins and supervisors keep them. */
export function cannedRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/canned-responses",
    summary: "Saved replies, by shortcut; q matches the start of a shortcut or any part of a title or text",
    tag: "canned",
    access: everyone,
    query: CannedResponseQuery,
    response: CannedResponseList,
    handler: async ({ query, scope }) => ({ items: await listCanned(ctx.db, scope, query.q) }),
  });

  t.add({
    method: "post",
    path: "/canned-responses",
    summary: "Save a reply; its text may use {{contact.name}}, {{agent.name}}, {{conversation.id}} and the other canned variables (409 shortcut_taken on a duplicate)",
    tag: "canned",
    access: managers,
    body: CannedResponseInput,
    response: CannedResponseResponse,
    status: 201,
    handler: async ({ body, scope }) => ({ cannedResponse: await createCanned(ctx.db, scope, body) }),
  });

  t.add({
    method: "patch",
    path: "/canned-responses/:id",
    summary: "Change a saved reply's shortcut, title or text",
    tag: "canned",
    access: managers,
    params: CannedIdParams,
    body: CannedResponseUpdate,
    response: CannedResponseResponse,
    handler: async ({ params, body, scope }) => ({ cannedResponse: await updateCanned(ctx.db, scope, params.id, body) }),
  });

  t.add({
    method: "delete",
    path: "/canned-responses/:id",
    summary: "Delete a saved reply",
    tag: "canned",
    access: managers,
    params: CannedIdParams,
    response: Empty,
    handler: async ({ params, scope }) => {
      await deleteCanned(ctx.db, scope, params.id);
      return {};
    },
  });
}
