import { useState } from "react";
import type { Message, ReplyOptions } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { ErrorMessage } from "../error-message";

type Action = ReplyOptions["moderation"][number];

interface Props {
  conversationId: string;
  message: Message;
  allowed: ReplyOptions["moderation"];
  platformName: string;
  /** Called before the request: a deletion's "message.updated" event may arrive before its answer. */
  onDone: (message: Message, action: Action) => void;
  /** A refusal may mean the channel needs reconnecting: the conversation is worth refetching. */
  onFailed: (action: Action) => void;
}

/** Hide, unhide or delete a customer's public comment on the platform, from the timeline. */
export function ModerationActions({ conversationId, message: m, allowed, platformName, onDone, onFailed }: Props) {
  const [pending, setPending] = useState<Action | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run(action: Action) {
    setPending(action);
    setError(null);
    try {
      const { message } = await api.moderateMessage(conversationId, m.id, { action });
      setConfirming(false);
      onDone(message, action);
    } catch (err) {
      setError(err);
      onFailed(action);
    } finally {
      setPending(null);
    }
  }

  const can = (a: Action) => allowed.includes(a);
  const busy = pending !== null;
  return (
    <div className="moderation" role="group" aria-label={`Moderate this comment on ${platformName}`}>
      {confirming ? (
        <span className="moderation-confirm" role="alert">
          Delete this comment on {platformName}? This cannot be undone.{" "}
          <button type="button" className="button-small danger" disabled={busy} onClick={() => void run("delete")} data-testid="moderate-delete-confirm">
            {pending === "delete" ? "Deleting…" : "Delete"}
          </button>{" "}
          <button type="button" className="button-small" disabled={busy} onClick={() => setConfirming(false)} data-testid="moderate-delete-cancel">
            Cancel
          </button>
        </span>
      ) : (
        <>
          {can("hide") && !m.hidden && (
            <button type="button" className="button-small" disabled={busy} onClick={() => void run("hide")} data-testid="moderate-hide">
              {pending === "hide" ? "Hiding…" : "Hide"}
            </button>
          )}
          {can("unhide") && m.hidden && (
            <button type="button" className="button-small" disabled={busy} onClick={() => void run("unhide")} data-testid="moderate-unhide">
              {pending === "unhide" ? "Unhiding…" : "Unhide"}
            </button>
          )}
          {can("delete") && (
            <button type="button" className="button-small danger" disabled={busy} onClick={() => setConfirming(true)} data-testid="moderate-delete">
              Delete
            </button>
          )}
        </>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

/** Whether a message is a customer's public comment the agent may act on. */
export function isModeratable(m: Message, kind: string, allowed: ReplyOptions["moderation"]): boolean {
  return (
    (kind === "comment" || kind === "mention") &&
    allowed.length > 0 &&
    m.author === "customer" &&
    m.visibility === "public" &&
    Boolean(m.externalId) &&
    !m.deletedAt
  );
}
