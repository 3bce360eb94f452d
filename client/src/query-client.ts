import { QueryClient } from "@tanstack/react-query";
import { ApiError, isMissingEndpoint } from "./api";

/**
 * Server data lives in TanStack Query. Socket events keep it fresh (live/live-sync.ts), so queries
 * do not refetch on focus; a reconnect invalidates everything on screen instead.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // A 4xx will answer the same again; a lost connection or a 5xx may not.
        retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** Runs a query; an endpoint this server does not have yet reads as null, so the UI can hide the feature. */
export async function orMissing<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (isMissingEndpoint(err)) return null;
    throw err;
  }
}

/** Query keys, in one place so socket events and screens agree. */
export const keys = {
  conversations: ["conversations"] as const,
  conversationList: (params: unknown) => ["conversations", params] as const,
  conversation: (id: string) => ["conversation", id] as const,
  messages: (id: string) => ["messages", id] as const,
  counts: ["counts"] as const,
  labels: ["labels"] as const,
  canned: (q: string) => ["canned", q] as const,
  users: ["users"] as const,
  teams: ["teams"] as const,
  views: ["views"] as const,
  notifications: ["notifications"] as const,
  contact: (id: string) => ["contact", id] as const,
  search: (q: string) => ["search", q] as const,
  channels: ["channels"] as const,
  bot: (channelId: string) => ["bot", channelId] as const,
  businessHours: ["business-hours"] as const,
  slaPolicies: ["sla-policies"] as const,
  articles: (q: string) => ["articles", q] as const,
  llm: ["llm"] as const,
  dryRun: (id: string) => ["dry-run", id] as const,
  dryRuns: (channelId: string) => ["dry-runs", channelId] as const,
  reports: ["reports"] as const,
  report: (name: string, params: unknown) => ["reports", name, params] as const,
};
