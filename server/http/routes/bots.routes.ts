import {
  BotReport,
  BotReportQuery,
  BotTurnList,
  BotTurnQuery,
  DryRunCreated,
  DryRunList,
  DryRunParams,
  DryRunRequest,
  DryRunResponse,
  LlmSettings,
  LlmSettingsInput,
  LlmTestRequest,
  LlmTestResult,
  WrongAnswerList,
  WrongAnswerRequest,
} from "../../../shared/schemas/bots.js";
import { ChannelIdParams } from "../../../shared/schemas/channels.js";
import { MessageIdParams, MessageResponse } from "../../../shared/schemas/conversations.js";
import { getDryRun, listDryRuns, startDryRun } from "../../../bots/dry-run/dry-run.js";
import { listWrongAnswers, markWrong, unmarkWrong } from "../../../bots/feedback.js";
import { getLlmSettings, loadLlmSettings, putLlmSettings } from "../../../bots/llm/settings.js";
import { testLlmConnection } from "../../../bots/llm/test-connection.js";
import { botReport } from "../../../bots/report.js";
import { listTurns } from "../../../bots/turns.js";
import type { Ctx } from "../../context.js";
import { getChannelRow } from "../../domain/channels.js";
import { BadRequest, type Scope } from "../../domain/scope.js";
import { admins, everyone, managers, type RouteTable } from "../route.js";

async function period(ctx: Ctx, scope: Scope, q: { from?: string; to?: string; channelId?: string }) {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 7 * 86400_000);
  if (from >= to) throw new BadRequest("from must be before to", "invalid_range");
  if (q.channelId) await getChannelRow(ctx.db, scope, q.channelId);
  return { from, to, channelId: q.channelId };
}

export function botRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/bots/llm",
    summary: "The workspace's LLM settings (the API key is never returned: apiKeySet says whether one is stored)",
    tag: "bots",
    access: admins,
    response: LlmSettings,
    handler: ({ scope }) => getLlmSettings(ctx, scope),
  });

  t.add({
    method: "put",
    path: "/bots/llm",
    summary: "Change the LLM settings (fields given); the API key is encrypted at rest, null removes it",
    tag: "bots",
    access: admins,
    body: LlmSettingsInput,
    response: LlmSettings,
    handler: ({ body, scope }) => putLlmSettings(ctx, scope, body),
  });

  t.add({
    method: "post",
    path: "/bots/llm/test",
    summary: "Test the connection to the model (saved settings, or the values given, unsaved): what worked and what failed, in words",
    tag: "bots",
    access: admins,
    body: LlmTestRequest,
    response: LlmTestResult,
    handler: async ({ body, scope }) => testLlmConnection(await loadLlmSettings(ctx, scope.workspaceId, body)),
  });

  t.add({
    method: "post",
    path: "/channels/:id/bot/dry-runs",
    summary: "Dry-run the channel's bot (or a proposed, unsaved pipeline) over its last N customer messages; sends nothing. Progress: bot.dry_run.updated, or poll GET /api/bots/dry-runs/:id",
    tag: "bots",
    access: admins,
    params: ChannelIdParams,
    body: DryRunRequest,
    response: DryRunCreated,
    status: 202,
    handler: async ({ params, body, scope }) => ({ dryRun: await startDryRun(ctx, scope, params.id, body) }),
  });

  t.add({
    method: "get",
    path: "/channels/:id/bot/dry-runs",
    summary: "The channel's latest dry runs",
    tag: "bots",
    access: admins,
    params: ChannelIdParams,
    response: DryRunList,
    handler: async ({ params, scope }) => ({ items: await listDryRuns(ctx.db, scope, params.id) }),
  });

  t.add({
    method: "get",
    path: "/bots/dry-runs/:id",
    summary: "A dry run: its progress and, side by side for each customer message, what the bot would do and what actually happened",
    tag: "bots",
    access: admins,
    params: DryRunParams,
    response: DryRunResponse,
    handler: ({ params, scope }) => getDryRun(ctx.db, scope, params.id),
  });

  t.add({
    method: "post",
    path: "/conversations/:id/messages/:messageId/wrong-answer",
    summary: "Thumbs-down: mark a bot answer wrong (with an optional note); shown on the message and counted for supervisors",
    tag: "bots",
    access: everyone,
    params: MessageIdParams,
    body: WrongAnswerRequest,
    response: MessageResponse,
    handler: async ({ params, body, scope }) => ({ message: await markWrong(ctx, scope, params.id, params.messageId, body.note) }),
  });

  t.add({
    method: "delete",
    path: "/conversations/:id/messages/:messageId/wrong-answer",
    summary: "Take a thumbs-down back",
    tag: "bots",
    access: everyone,
    params: MessageIdParams,
    response: MessageResponse,
    handler: async ({ params, scope }) => ({ message: await unmarkWrong(ctx, scope, params.id, params.messageId) }),
  });

  t.add({
    method: "get",
    path: "/bots/wrong-answers",
    summary: "Bot answers agents marked wrong in a period, newest first",
    tag: "bots",
    access: managers,
    query: BotReportQuery,
    response: WrongAnswerList,
    handler: async ({ query, scope }) => ({ items: await listWrongAnswers(ctx.db, scope, await period(ctx, scope, query)) }),
  });

  t.add({
    method: "get",
    path: "/bots/report",
    summary: "Bot containment, hand-offs by reason and wrong answers in a period, each with the conversations it counts",
    tag: "bots",
    access: managers,
    query: BotReportQuery,
    response: BotReport,
    handler: async ({ query, scope }) => botReport(ctx.db, scope, await period(ctx, scope, query)),
  });

  t.add({
    method: "get",
    path: "/bots/turns",
    summary: "Audit of a conversation's bot turns: retrieved articles, the model's prompt and tool calls, latency, outcome",
    tag: "bots",
    access: managers,
    query: BotTurnQuery,
    response: BotTurnList,
    handler: async ({ query, scope }) => ({ items: await listTurns(ctx.db, scope, query) }),
  });
}
