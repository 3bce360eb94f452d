import {
  ContactDetail,
  ContactIdParams,
  ContactList,
  ContactListQuery,
  ContactMergeRequest,
  ContactNoteInput,
  ContactNoteResponse,
  ContactResponse,
  ContactUpdate,
} from "../../../shared/schemas/contacts.js";
import type { Ctx } from "../../context.js";
import { addContactNote, getContactDetail, listContacts, mergeContacts, updateContact } from "../../domain/contacts.js";
import { everyone, type RouteTable } from "../route.js";

/** Customers: an agent reaches a contact only through a conversation they may see. */
export function contactRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/contacts",
    summary: "Contacts the caller may see, newest first; q matches name, email, phone or a platform id",
    tag: "contacts",
    access: everyone,
    query: ContactListQuery,
    response: ContactList,
    handler: async ({ query, scope }) => listContacts(ctx.db, scope, query),
  });

  t.add({
    method: "get",
    path: "/contacts/:id",
    summary: "A contact with identities on every platform, notes, and past conversations the caller may see",
    tag: "contacts",
    access: everyone,
    params: ContactIdParams,
    response: ContactDetail,
    handler: async ({ params, scope }) => getContactDetail(ctx.db, scope, params.id),
  });

  t.add({
    method: "patch",
    path: "/contacts/:id",
    summary: "Change a contact's name, email or phone (null clears email or phone)",
    tag: "contacts",
    access: everyone,
    params: ContactIdParams,
    body: ContactUpdate,
    response: ContactResponse,
    handler: async ({ params, body, scope }) => ({ contact: await updateContact(ctx, scope, params.id, body) }),
  });

  t.add({
    method: "post",
    path: "/contacts/:id/notes",
    summary: "Add a note about a contact (internal; never sent to the customer)",
    tag: "contacts",
    access: everyone,
    params: ContactIdParams,
    body: ContactNoteInput,
    response: ContactNoteResponse,
    status: 201,
    handler: async ({ params, body, scope }) => ({ note: await addContactNote(ctx.db, scope, params.id, body.text) }),
  });

  t.add({
    method: "post",
    path: "/contacts/:id/merge",
    summary: "Merge another contact into this one: its identities, conversations and notes move here in one step (400 merge_same_contact for itself)",
    tag: "contacts",
    access: everyone,
    params: ContactIdParams,
    body: ContactMergeRequest,
    response: ContactResponse,
    handler: async ({ params, body, scope }) => ({ contact: await mergeContacts(ctx, scope, params.id, body.otherId) }),
  });
}
