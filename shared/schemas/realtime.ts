import { z } from "zod";
import { Conversation, Message } from "./conversations.js";

/** Events pushed over Socket.IO, with the same shapes as the REST API. */
export const ServerEvents = {
  "message.created": z.object({ message: Message }),
  "message.updated": z.object({ message: Message }),
  "conversation.updated": z.object({ conversation: Conversation }),
} as const;
export type ServerEventName = keyof typeof ServerEvents;
export type ServerEventPayload<N extends ServerEventName> = z.infer<(typeof ServerEvents)[N]>;
