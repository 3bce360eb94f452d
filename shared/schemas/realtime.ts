import { z } from "zod";
import { User } from "./auth.js";
import { DryRun } from "./bots.js";
import { Channel } from "./channels.js";
import { uuid } from "./common.js";
import { Conversation, Message } from "./conversations.js";
import { Notification } from "./notifications.js";

/** Someone in a conversation: an agent (userId) or the bot (userId null, name of the bot). */
const Presence = z.object({ conversationId: uuid, userId: uuid.nullable(), name: z.string() });

/** Events pushed over Socket.IO, with the same shapes as the REST API. */
export const ServerEvents = {
  "message.created": z.object({ message: Message }),
  "message.updated": z.object({ message: Message }),
  "conversation.updated": z.object({ conversation: Conversation }),
  /** A channel's status or settings changed (e.g. it needs reconnecting, or was reconnected). */
  "channel.updated": z.object({ channel: Channel }),
  /** Someone opened (viewing true) or left (false) a conversation. */
  "conversation.viewing": Presence.extend({ viewing: z.boolean() }),
  /** Someone is typing a reply or note (typing false when they stop, send, or leave); it lapses after 6 s without a repeat. */
  "conversation.typing": Presence.extend({ typing: z.boolean() }),
  /** To its recipient only. */
  "notification.created": z.object({ notification: Notification }),
  /** A teammate's name, role, activity or availability changed (live to supervisors). */
  "user.updated": z.object({ user: User }),
  /** An SLA deadline is at 80 % of its time (warning) or has passed (breached). */
  "sla.warning": z.object({ conversationId: uuid, metric: z.string(), dueAt: z.string() }),
  "sla.breached": z.object({ conversationId: uuid, metric: z.string(), dueAt: z.string(), breachedAt: z.string() }),
  /** A bot dry run progressed or finished (GET /api/bots/dry-runs/:id has its items). */
  "bot.dry_run.updated": z.object({ dryRun: DryRun }),
} as const;
export type ServerEventName = keyof typeof ServerEvents;
export type ServerEventPayload<N extends ServerEventName> = z.infer<(typeof ServerEvents)[N]>;

/**
 * Events a console sends. `conversation.join` answers (Socket.IO acknowledgement) with who is there
 * now; the server then tells the others. A socket leaves on `conversation.leave` or disconnect.
 */
export const ClientEvents = {
  "conversation.join": z.object({ conversationId: uuid }),
  "conversation.leave": z.object({ conversationId: uuid }),
  "conversation.typing": z.object({ conversationId: uuid, typing: z.boolean() }),
} as const;
export const JoinAck = z.object({
  viewers: z.array(Presence.omit({ conversationId: true })),
  typing: z.array(Presence.omit({ conversationId: true })),
});
export type ClientEventName = keyof typeof ClientEvents;
