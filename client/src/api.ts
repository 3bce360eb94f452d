import { z } from "zod";
import {
  BotConfig,
  BotConfigInput,
  Channel,
  ChannelList,
  ConversationList,
  ConversationListQuery,
  ConversationResponse,
  CreateChannelRequest,
  CreatedChannel,
  CreateMessageRequest,
  CreateUserRequest,
  ErrorBody,
  LoginRequest,
  MeResponse,
  MessageList,
  MessageResponse,
  ModerationRequest,
  ReportQuery,
  ResponseTimesReport,
  UpdateChannelRequest,
  UpdateConversationRequest,
  UpdateUserRequest,
  UserList,
  UserResponse,
} from "../../shared/schemas/index.js";

export type FieldIssue = { path: string; message: string };

/** A failed API call; `message` is the server's `error`, meant to be shown to the user. */
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

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
type QueryValue = string | number | boolean | null | undefined;

interface RequestOptions {
  body?: unknown;
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
  if (status === 429) return "Too many attempts. Please wait a moment and try again.";
  if (status >= 500) return "The server had a problem. Please try again.";
  return `Request failed (${status}).`;
}

function queryString(query: Record<string, QueryValue> | undefined): string {
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
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(path + queryString(opts.query), {
      method,
      credentials: "same-origin",
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError("Could not reach the server. Check your connection and try again.", 0);
  }
  const data = await readBody(res);
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(data);
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

export type ConversationQuery = Partial<z.output<typeof ConversationListQuery>>;

export const api = {
  login: (body: z.input<typeof LoginRequest>) =>
    call(UserResponse, "POST", "/api/auth/login", { body, allowUnauthorized: true }),
  logout: () => requestRaw("POST", "/api/auth/logout", { allowUnauthorized: true }),
  me: () => call(MeResponse, "GET", "/api/me", { allowUnauthorized: true }),

  listConversations: (query: ConversationQuery, signal?: AbortSignal) =>
    call(ConversationList, "GET", "/api/conversations", { query, signal }),
  getConversation: (id: string) => call(ConversationResponse, "GET", `/api/conversations/${enc(id)}`),
  updateConversation: (id: string, body: z.input<typeof UpdateConversationRequest>) =>
    call(ConversationResponse, "PATCH", `/api/conversations/${enc(id)}`, { body }),
  listMessages: (id: string) => call(MessageList, "GET", `/api/conversations/${enc(id)}/messages`),
  sendMessage: (id: string, body: z.input<typeof CreateMessageRequest>) =>
    call(MessageResponse, "POST", `/api/conversations/${enc(id)}/messages`, { body }),
  /** Hides, unhides or deletes a customer's public comment on the platform. */
  moderateMessage: (id: string, messageId: string, body: z.input<typeof ModerationRequest>) =>
    call(MessageResponse, "POST", `/api/conversations/${enc(id)}/messages/${enc(messageId)}/moderation`, { body }),

  listChannels: () => call(ChannelList, "GET", "/api/channels"),
  /** Answers the channel itself, with its generated secrets (`generated`) shown this once. */
  createChannel: (body: z.input<typeof CreateChannelRequest>) =>
    call(CreatedChannel, "POST", "/api/channels", { body }),
  updateChannel: (id: string, body: z.input<typeof UpdateChannelRequest>) =>
    call(Channel, "PATCH", `/api/channels/${enc(id)}`, { body }),
  getBot: (channelId: string) => call(BotConfig, "GET", `/api/channels/${enc(channelId)}/bot`),
  putBot: (channelId: string, body: z.input<typeof BotConfigInput>) =>
    call(BotConfig, "PUT", `/api/channels/${enc(channelId)}/bot`, { body }),

  listUsers: () => call(UserList, "GET", "/api/users"),
  createUser: (body: z.input<typeof CreateUserRequest>) => call(UserResponse, "POST", "/api/users", { body }),
  updateUser: (id: string, body: z.input<typeof UpdateUserRequest>) =>
    call(UserResponse, "PATCH", `/api/users/${enc(id)}`, { body }),

  responseTimes: (query: z.input<typeof ReportQuery>) =>
    call(ResponseTimesReport, "GET", "/api/reports/response-times", { query }),
};
