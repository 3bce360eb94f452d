import { z } from "zod";
import {
  AvailabilityRequest,
  BotConfig,
  BotConfigInput,
  BulkRequest,
  BulkResult,
  BusinessHours,
  BusinessHoursResponse,
  CreateSlaPolicyRequest,
  CreateTeamRequest,
  DryRunCreated,
  DryRunList,
  DryRunRequest,
  DryRunResponse,
  KnowledgeArticleInput,
  KnowledgeArticleList,
  KnowledgeArticleResponse,
  KnowledgeArticleUpdate,
  KnowledgeImportRequest,
  KnowledgeImportResult,
  KnowledgeSearchResult,
  LlmSettings,
  LlmSettingsInput,
  LlmTestRequest,
  LlmTestResult,
  SlaPolicyList,
  SlaPolicyResponse,
  TeamList,
  TeamResponse,
  UpdateSlaPolicyRequest,
  UpdateTeamRequest,
  WrongAnswerRequest,
  CannedResponseInput,
  CannedResponseList,
  CannedResponseResponse,
  CannedResponseUpdate,
  Channel,
  ChannelList,
  ContactDetail,
  ContactList,
  ContactNoteResponse,
  ContactResponse,
  ContactUpdate,
  ConversationList,
  ConversationListQuery,
  ConversationResponse,
  CreateChannelRequest,
  CreatedChannel,
  CreateMessageRequest,
  CreateUserRequest,
  ErrorBody,
  InviteResponse,
  InviteUserRequest,
  LabelInput,
  LabelList,
  LabelResponse,
  LabelUpdate,
  LoginRequest,
  MarkReadRequest,
  MarkReadResult,
  MeResponse,
  Message,
  MessageResponse,
  ModerationRequest,
  NotificationList,
  LiveQuery,
  LiveReport,
  OverviewQuery,
  OverviewReport,
  ReportQuery,
  ResetLinkResponse,
  ResponseTimesReport,
  SavedView,
  SavedViewInput,
  SavedViewList,
  SearchResult,
  SetPasswordRequest,
  TokenInfo,
  UpdateChannelRequest,
  UpdateConversationRequest,
  UpdateMeRequest,
  UpdateUserRequest,
  UploadResponse,
  UserList,
  UserResponse,
  ViewCounts,
} from "../../shared/schemas/index.js";

export type FieldIssue = { path: string; message: string };

/** A failed API call; `message` is the server's `error` (its detail), `code` its stable kind. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly issues: FieldIssue[] = [],
    /** The server's stable error code (shared/schemas/errors.ts), when it gave one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Whether an error says the endpoint itself is missing (an older server): features then stay hidden. */
export function isMissingEndpoint(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404 && err.message.startsWith("no such endpoint");
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
type QueryValue = string | number | boolean | null | undefined;

interface RequestOptions {
  body?: unknown;
  /** Raw bytes (an upload) instead of JSON. */
  raw?: Blob;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** A 401 here is an expected answer (login, session probe), not an expired session. */
  allowUnauthorized?: boolean;
}

let unauthorizedHandler: (() => void) | null = null;

/** Called when any request answers 401: the session has ended. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

function fallbackMessage(status: number, path: string): string {
  if (status === 401 && path === "/api/auth/login") return "Wrong email or password.";
  if (status === 401) return "Your session has ended. Please log in again.";
  if (status === 403) return "You do not have permission to do that.";
  if (status === 404) return "Not found.";
  if (status === 413) return "That is too large to send.";
  if (status === 429) return "Too many attempts. Please wait a moment and try again.";
  if (status >= 500) return "The server had a problem. Please try again.";
  return `Request failed (${status}).`;
}

export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function requestRaw(method: Method, path: string, opts: RequestOptions = {}): Promise<unknown> {
  const headers: Record<string, string> = { Accept: "application/json" };
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers["Content-Type"] = opts.raw.type || "application/octet-stream";
    body = opts.raw;
  } else if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path + queryString(opts.query), { method, credentials: "same-origin", headers, body, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError("Could not reach the server. Check your connection and try again.", 0);
  }
  const data = await readBody(res);
  if (!res.ok) {
    // Read loosely: an error code newer than this console still shows the server's words.
    const parsed = ErrorBody.extend({ code: z.string().optional() }).safeParse(data);
    if (res.status === 401 && !opts.allowUnauthorized) unauthorizedHandler?.();
    throw new ApiError(
      parsed.success ? parsed.data.error : fallbackMessage(res.status, path),
      res.status,
      parsed.success ? (parsed.data.issues ?? []) : [],
      parsed.success ? parsed.data.code : undefined,
    );
  }
  return data;
}

/**
 * Checks a response against its shared schema. A mismatch is logged rather than thrown, so a
 * small contract drift shows up in the console instead of blanking the screen.
 */
export function checked<S extends z.ZodType>(schema: S, data: unknown, label: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  console.warn(`[parley] ${label}: response does not match the shared schema`, result.error.issues);
  return data as z.output<S>;
}

async function call<S extends z.ZodType>(schema: S, method: Method, path: string, opts?: RequestOptions) {
  return checked(schema, await requestRaw(method, path, opts), `${method} ${path}`);
}

const enc = encodeURIComponent;
type In<S extends z.ZodType> = z.input<S>;

export type ConversationQuery = Partial<z.output<typeof ConversationListQuery>>;

/**
 * A page of history. A server that predates paging answers every message without a cursor, which
 * reads as one complete page.
 */
const MessagePageLoose = z.object({ items: z.array(Message), nextCursor: z.string().nullable().optional() });
export type MessagePage = { items: Message[]; nextCursor: string | null };


export const api = {
  login: (body: In<typeof LoginRequest>) => call(UserResponse, "POST", "/api/auth/login", { body, allowUnauthorized: true }),
  logout: () => requestRaw("POST", "/api/auth/logout", { allowUnauthorized: true }),
  logoutEverywhere: () => requestRaw("POST", "/api/auth/logout-everywhere"),
  me: () => call(MeResponse, "GET", "/api/me", { allowUnauthorized: true }),
  updateMe: (body: In<typeof UpdateMeRequest>) => call(UserResponse, "PATCH", "/api/me", { body }),
  setAvailability: (body: In<typeof AvailabilityRequest>) => call(UserResponse, "PUT", "/api/me/availability", { body }),
  tokenInfo: (token: string) => call(TokenInfo, "GET", "/api/auth/token-info", { query: { token }, allowUnauthorized: true }),
  setPassword: (body: In<typeof SetPasswordRequest>) => requestRaw("POST", "/api/auth/set-password", { body, allowUnauthorized: true }),

  listConversations: (query: ConversationQuery, signal?: AbortSignal) =>
    call(ConversationList, "GET", "/api/conversations", { query, signal }),
  conversationCounts: () => call(ViewCounts, "GET", "/api/conversations/counts"),
  getConversation: (id: string) => call(ConversationResponse, "GET", `/api/conversations/${enc(id)}`),
  updateConversation: (id: string, body: In<typeof UpdateConversationRequest>) =>
    call(ConversationResponse, "PATCH", `/api/conversations/${enc(id)}`, { body }),
  setLabels: (id: string, labels: string[]) =>
    call(ConversationResponse, "PUT", `/api/conversations/${enc(id)}/labels`, { body: { labels } }),
  bulk: (body: In<typeof BulkRequest>) => call(BulkResult, "POST", "/api/conversations/bulk", { body }),
  messagePage: async (id: string, before?: string): Promise<MessagePage> => {
    const page = await call(MessagePageLoose, "GET", `/api/conversations/${enc(id)}/messages`, { query: { before, limit: 50 } });
    return { items: page.items, nextCursor: page.nextCursor ?? null };
  },
  sendMessage: (id: string, body: In<typeof CreateMessageRequest>) =>
    call(MessageResponse, "POST", `/api/conversations/${enc(id)}/messages`, { body }),
  /** Hides, unhides or deletes a customer's public comment on the platform. */
  moderateMessage: (id: string, messageId: string, body: In<typeof ModerationRequest>) =>
    call(MessageResponse, "POST", `/api/conversations/${enc(id)}/messages/${enc(messageId)}/moderation`, { body }),
  upload: (file: File) => call(UploadResponse, "POST", "/api/uploads", { query: { name: file.name }, raw: file }),

  search: (q: string, signal?: AbortSignal) => call(SearchResult, "GET", "/api/search", { query: { q, limit: 20 }, signal }),

  listViews: () => call(SavedViewList, "GET", "/api/views"),
  createView: (body: In<typeof SavedViewInput>) => call(z.object({ view: SavedView }).or(SavedView), "POST", "/api/views", { body }),
  deleteView: (id: string) => requestRaw("DELETE", `/api/views/${enc(id)}`),

  listLabels: () => call(LabelList, "GET", "/api/labels"),
  createLabel: (body: In<typeof LabelInput>) => call(LabelResponse, "POST", "/api/labels", { body }),
  updateLabel: (id: string, body: In<typeof LabelUpdate>) => call(LabelResponse, "PATCH", `/api/labels/${enc(id)}`, { body }),
  deleteLabel: (id: string) => requestRaw("DELETE", `/api/labels/${enc(id)}`),

  listCanned: (q?: string) => call(CannedResponseList, "GET", "/api/canned-responses", { query: { q } }),
  createCanned: (body: In<typeof CannedResponseInput>) => call(CannedResponseResponse, "POST", "/api/canned-responses", { body }),
  updateCanned: (id: string, body: In<typeof CannedResponseUpdate>) =>
    call(CannedResponseResponse, "PATCH", `/api/canned-responses/${enc(id)}`, { body }),
  deleteCanned: (id: string) => requestRaw("DELETE", `/api/canned-responses/${enc(id)}`),

  listContacts: (q: string) => call(ContactList, "GET", "/api/contacts", { query: { q, limit: 10 } }),
  getContact: (id: string) => call(ContactDetail, "GET", `/api/contacts/${enc(id)}`),
  updateContact: (id: string, body: In<typeof ContactUpdate>) => call(ContactResponse, "PATCH", `/api/contacts/${enc(id)}`, { body }),
  addContactNote: (id: string, text: string) => call(ContactNoteResponse, "POST", `/api/contacts/${enc(id)}/notes`, { body: { text } }),
  mergeContact: (id: string, otherId: string) => call(ContactResponse, "POST", `/api/contacts/${enc(id)}/merge`, { body: { otherId } }),

  listNotifications: () => call(NotificationList, "GET", "/api/notifications", { query: { limit: 30 } }),
  markRead: (body: In<typeof MarkReadRequest>) => call(MarkReadResult, "POST", "/api/notifications/read", { body }),

  listTeams: async () => (await call(TeamList, "GET", "/api/teams")).items,
  createTeam: (body: In<typeof CreateTeamRequest>) => call(TeamResponse, "POST", "/api/teams", { body }),
  updateTeam: (id: string, body: In<typeof UpdateTeamRequest>) => call(TeamResponse, "PATCH", `/api/teams/${enc(id)}`, { body }),
  deleteTeam: (id: string) => requestRaw("DELETE", `/api/teams/${enc(id)}`),
  businessHours: () => call(BusinessHoursResponse, "GET", "/api/business-hours"),
  putBusinessHours: (body: In<typeof BusinessHours>) => call(BusinessHoursResponse, "PUT", "/api/business-hours", { body }),

  listSlaPolicies: async () => (await call(SlaPolicyList, "GET", "/api/sla-policies")).items,
  createSlaPolicy: (body: In<typeof CreateSlaPolicyRequest>) => call(SlaPolicyResponse, "POST", "/api/sla-policies", { body }),
  updateSlaPolicy: (id: string, body: In<typeof UpdateSlaPolicyRequest>) =>
    call(SlaPolicyResponse, "PATCH", `/api/sla-policies/${enc(id)}`, { body }),
  deleteSlaPolicy: (id: string) => requestRaw("DELETE", `/api/sla-policies/${enc(id)}`),

  listArticles: (query: { q?: string; limit?: number }) => call(KnowledgeArticleList, "GET", "/api/knowledge/articles", { query }),
  createArticle: (body: In<typeof KnowledgeArticleInput>) => call(KnowledgeArticleResponse, "POST", "/api/knowledge/articles", { body }),
  updateArticle: (id: string, body: In<typeof KnowledgeArticleUpdate>) =>
    call(KnowledgeArticleResponse, "PATCH", `/api/knowledge/articles/${enc(id)}`, { body }),
  deleteArticle: (id: string) => requestRaw("DELETE", `/api/knowledge/articles/${enc(id)}`),
  importArticles: (body: In<typeof KnowledgeImportRequest>) => call(KnowledgeImportResult, "POST", "/api/knowledge/import", { body }),
  searchKnowledge: (q: string, channelId?: string, signal?: AbortSignal) =>
    call(KnowledgeSearchResult, "GET", "/api/knowledge/search", { query: { q, channelId, limit: 5 }, signal }),

  llmSettings: () => call(LlmSettings, "GET", "/api/bots/llm"),
  putLlmSettings: (body: In<typeof LlmSettingsInput>) => call(LlmSettings, "PUT", "/api/bots/llm", { body }),
  testLlm: (body: In<typeof LlmTestRequest>) => call(LlmTestResult, "POST", "/api/bots/llm/test", { body }),
  startDryRun: (channelId: string, body: In<typeof DryRunRequest>) =>
    call(DryRunCreated, "POST", `/api/channels/${enc(channelId)}/bot/dry-runs`, { body }),
  listDryRuns: (channelId: string) => call(DryRunList, "GET", `/api/channels/${enc(channelId)}/bot/dry-runs`),
  getDryRun: (id: string) => call(DryRunResponse, "GET", `/api/bots/dry-runs/${enc(id)}`),
  markWrongAnswer: (id: string, messageId: string, body: In<typeof WrongAnswerRequest>) =>
    call(MessageResponse, "POST", `/api/conversations/${enc(id)}/messages/${enc(messageId)}/wrong-answer`, { body }),
  unmarkWrongAnswer: (id: string, messageId: string) =>
    call(MessageResponse, "DELETE", `/api/conversations/${enc(id)}/messages/${enc(messageId)}/wrong-answer`),

  listChannels: () => call(ChannelList, "GET", "/api/channels"),
  /** Answers the channel itself, with its generated secrets (`generated`) shown this once. */
  createChannel: (body: In<typeof CreateChannelRequest>) => call(CreatedChannel, "POST", "/api/channels", { body }),
  updateChannel: (id: string, body: In<typeof UpdateChannelRequest>) => call(Channel, "PATCH", `/api/channels/${enc(id)}`, { body }),
  getBot: (channelId: string) => call(BotConfig, "GET", `/api/channels/${enc(channelId)}/bot`),
  putBot: (channelId: string, body: In<typeof BotConfigInput>) => call(BotConfig, "PUT", `/api/channels/${enc(channelId)}/bot`, { body }),

  listUsers: () => call(UserList, "GET", "/api/users"),
  createUser: (body: In<typeof CreateUserRequest>) => call(UserResponse, "POST", "/api/users", { body }),
  inviteUser: (body: In<typeof InviteUserRequest>) => call(InviteResponse, "POST", "/api/users/invite", { body }),
  resetLink: (id: string) => call(ResetLinkResponse, "POST", `/api/users/${enc(id)}/reset-link`),
  updateUser: (id: string, body: In<typeof UpdateUserRequest>) => call(UserResponse, "PATCH", `/api/users/${enc(id)}`, { body }),

  responseTimes: (query: In<typeof ReportQuery>) => call(ResponseTimesReport, "GET", "/api/reports/response-times", { query }),
  /** The same report as a CSV file: a link the browser downloads with the session cookie. */
  responseTimesCsvUrl: (query: In<typeof ReportQuery>) => `/api/reports/response-times${queryString({ ...query, format: "csv" })}`,
  overview: (query: In<typeof OverviewQuery>) => call(OverviewReport, "GET", "/api/reports/overview", { query }),
  liveReport: (query: In<typeof LiveQuery> = {}) => call(LiveReport, "GET", "/api/reports/live", { query }),
};
