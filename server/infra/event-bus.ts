import type { Conversation, Message } from "../../shared/schemas/conversations.js";
import type { Logger } from "../logger.js";

/** Domain events, recorded inside a transaction and published only after it commits. */
export type DomainEvent =
  | {
      type: "message.created";
      workspaceId: string;
      conversationId: string;
      messageId: string;
      author: string;
      owner: "bot" | "human";
      /** The message as the socket push shows it, when the inserting transaction had all of it (saves a reload). */
      message?: Message;
      /** The conversation's audience as the transaction left it, when it had all of it (saves a read). */
      rooms?: string[];
    }
  | { type: "message.updated"; workspaceId: string; conversationId: string; messageId: string }
  | {
      type: "conversation.updated";
      workspaceId: string;
      conversationId: string;
      /** The conversation as the push shows it and its audience, as the transaction left them, when it had all of it (saves two reads). */
      conversation?: Conversation;
      rooms?: string[];
    }
  | { type: "message.outbound.queued"; workspaceId: string; conversationId: string; messageId: string }
  | { type: "channel.updated"; workspaceId: string; channelId: string }
  /** The assignee changed (by a person, a rule or the assignment policy); actorUserId null when automatic. */
  | {
      type: "conversation.assigned";
      workspaceId: string;
      conversationId: string;
      assigneeId: string | null;
      previousAssigneeId: string | null;
      actorUserId: string | null;
    }
  /** A notification was stored for one user (pushed to that user's sockets only). */
  | { type: "notification.created"; workspaceId: string; userId: string; notificationId: string }
  /** Attachments of a message wait to be fetched from the platform (the media job does it). */
  | { type: "attachments.pending"; workspaceId: string; messageId: string; attachmentIds: string[] }
  /** An SLA deadline reached 80 % of its time, or passed. */
  | {
      type: "sla.warning" | "sla.breached";
      workspaceId: string;
      conversationId: string;
      metric: "first_response" | "next_response" | "resolution" | "reply_window";
      dueAt: string;
      assigneeId: string | null;
      teamId: string | null;
    }
  /** An SLA clock needs a timer (warning or breach) at `at`: enqueued as a delayed job after commit. */
  | { type: "sla.timer"; workspaceId: string; conversationId: string; metric: "first_response" | "next_response" | "resolution" | "reply_window"; kind: "warning" | "breach"; at: string }
  /** A snoozed conversation wakes at `at`: enqueued as a delayed job after commit. */
  | { type: "snooze.timer"; workspaceId: string; conversationId: string; at: string }
  /** A team's queue may be served now: a conversation joined it, or a member came online or has room again (teamId null: all of userId's teams). */
  | { type: "assignment.check"; workspaceId: string; teamId: string | null; userId: string | null }
  /** A user's availability (or presence) changed: pushed live to supervisors and to the user. */
  | { type: "user.updated"; workspaceId: string; userId: string };

export type Subscriber = (event: DomainEvent) => void | Promise<void>;

/** Sees all events of one publish at once, in order (to read what they need in one query). */
export type BatchSubscriber = (events: DomainEvent[]) => void | Promise<void>;

export type EventBus = {
  subscribe(name: string, fn: Subscriber): void;
  subscribeBatch(name: string, fn: BatchSubscriber): void;
  publish(events: DomainEvent[]): Promise<void>;
};

/**
 * In-process bus. Subscribers are cheap (a socket emit) or hand the work to a durable queue, so
 * each runs alone: one failing does not stop the others.
 */
export function createEventBus(log: Logger): EventBus {
  const subscribers: Array<{ name: string; fn: Subscriber }> = [];
  const batchSubscribers: Array<{ name: string; fn: BatchSubscriber }> = [];
  return {
    subscribe(name, fn) {
      subscribers.push({ name, fn });
    },
    subscribeBatch(name, fn) {
      batchSubscribers.push({ name, fn });
    },
    async publish(events) {
      const list = dedupe(events);
      if (list.length === 0) return;
      const each = async () => {
        for (const event of list) {
          await Promise.all(
            subscribers.map(async ({ name, fn }) => {
              try {
                await fn(event);
              } catch (err) {
                log.error("subscriber failed", { subscriber: name, event: event.type, error: err });
              }
            }),
          );
        }
      };
      await Promise.all([
        each(),
        ...batchSubscribers.map(async ({ name, fn }) => {
          try {
            await fn(list);
          } catch (err) {
            log.error("subscriber failed", { subscriber: name, events: list.length, error: err });
          }
        }),
      ]);
    },
  };
}

/** A transaction that touched a conversation several times publishes one update for it. */
function dedupe(events: DomainEvent[]): DomainEvent[] {
  const seen = new Set<string>();
  const out: DomainEvent[] = [];
  for (const e of events) {
    const key = e.type === "conversation.updated" ? `${e.type}:${e.conversationId}` : null;
    if (key && seen.has(key)) continue;
    if (key) seen.add(key);
    out.push(e);
  }
  return out;
}
