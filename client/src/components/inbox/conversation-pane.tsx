import { useMemo, useState } from "react";
import type { ConversationSummary, Message, User } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { useConversation } from "../../hooks/use-conversation";
import { platformLabel } from "../../social/platforms";
import { ErrorMessage } from "../error-message";
import { Composer } from "./composer";
import { ConversationHeader, type ConversationPatch } from "./conversation-header";
import type { TimelineContext } from "./message-item";
import { MessageTimeline } from "./message-timeline";

interface Props {
  id: string;
  meId: string;
  meName: string;
  /** Teammates to assign to. */
  users: User[];
  /** Tells the list about a change we made, before the socket echoes it. */
  onChanged: (conversation: ConversationSummary) => void;
}

/** The stars of the review itself: the first customer message that carries a rating. */
function reviewRating(messages: Message[]): number | null {
  return messages.find((m) => m.author === "customer" && m.rating != null)?.rating ?? null;
}

export function ConversationPane({ id, meId, meName, users, onChanged }: Props) {
  const { conversation, messages, loading, error, reload, reloadDetail, addMessage, replaceMessage, applyConversation } = useConversation(id);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  async function patch(body: ConversationPatch) {
    setBusy(true);
    setActionError(null);
    try {
      const res = await api.updateConversation(id, body);
      applyConversation(res.conversation);
      onChanged(res.conversation);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  }

  const timeline = useMemo<TimelineContext | null>(
    () =>
      conversation && {
        conversationId: conversation.id,
        kind: conversation.kind,
        platformName: platformLabel(conversation.platform),
        contactName: conversation.contact.name,
        moderation: conversation.replyOptions.moderation,
        onModerated: replaceMessage,
        // A refusal may have changed the channel (needs reconnect): show it.
        onModerationFailed: () => void reloadDetail(),
      },
    [conversation, replaceMessage, reloadDetail],
  );

  if (!conversation || !timeline) {
    return (
      <div className="pane-placeholder">
        {loading ? (
          <p className="muted">Loading conversation…</p>
        ) : (
          <>
            <ErrorMessage error={error} />
            <button type="button" onClick={() => void reload()}>
              Retry
            </button>
          </>
        )}
      </div>
    );
  }

  return (
    <div className="conversation-pane" data-testid="conversation-pane" data-kind={conversation.kind} data-platform={conversation.platform}>
      <ConversationHeader
        conversation={conversation}
        meId={meId}
        meName={meName}
        users={users}
        busy={busy}
        fallbackRating={conversation.kind === "review" ? reviewRating(messages) : null}
        onPatch={(body) => void patch(body)}
      />
      {conversation.channelStatus === "needs_reconnect" && (
        <div className="reconnect-banner" role="alert" data-testid="channel-reconnect-banner">
          <strong>The {conversation.channelName} channel needs reconnecting.</strong>{" "}
          {conversation.channelStatusReason ?? `${platformLabel(conversation.platform)} refused Parley's credentials.`} Replies and
          moderation will fail until an admin enters new credentials on the Admin page.
        </div>
      )}
      <ErrorMessage error={actionError ?? error} className="pane-error" />
      <MessageTimeline messages={messages} ctx={timeline} />
      <Composer key={id} conversation={conversation} onSent={addMessage} onStale={() => void reloadDetail()} />
    </div>
  );
}
