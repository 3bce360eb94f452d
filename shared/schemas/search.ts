import { z } from "zod";
import { isoDate, uuid } from "./common.js";
import { ConversationSummary } from "./conversations.js";

export const SearchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Plain text with the matching ranges marked; never HTML. */
export const Snippet = z.object({
  text: z.string(),
  highlights: z.array(z.object({ start: z.number().int(), length: z.number().int() })),
});
export type Snippet = z.infer<typeof Snippet>;

export const SearchContact = z.object({
  id: uuid,
  name: z.string(),
  avatarUrl: z.string().nullable(),
  /** Platforms this contact is known on. */
  platforms: z.array(z.string()),
  snippet: Snippet,
});

export const SearchResult = z.object({
  conversations: z.array(ConversationSummary),
  messages: z.array(
    z.object({
      conversationId: uuid,
      messageId: uuid,
      author: z.enum(["customer", "bot", "agent", "system"]),
      contactName: z.string(),
      createdAt: isoDate,
      snippet: Snippet,
    }),
  ),
  contacts: z.array(SearchContact),
});
export type SearchResult = z.infer<typeof SearchResult>;
