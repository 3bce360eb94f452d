import { z } from "zod";
import { Channel } from "./channels.js";
import { Conversation, Message } from "./conversations.js";

/** Events pushed over Socket.IO, with the same shapes as the REST API. */
export const ServerEvents = {
  "message.created": z.object({ message: Message }),
  "message.updated": z.object({ message: Message }),
  "conversation.updated": z.object({ conversation: Conversation }),
  /** A channel's status or settings changed (e.g. it needs reconnecting, or was reconnected). */
  "channel.updated": z.object({ channel: Channel }),
} as const;
export type ServerEventName = keyof typeof ServerEvents;
export type ServerEventPayload<N extends ServerEventName> = z.infer<(typeof ServerEvents)[N]>;
