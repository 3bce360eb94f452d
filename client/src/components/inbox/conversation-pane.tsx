import { useState } from "react";
import type { ConversationSummary, User } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { useConversation } from "../../hooks/use-conversation";
import { ErrorMessage } from "../error-message";
import { Composer } from "./composer";
import { ConversationHeader, type ConversationPatch } from "./conversation-header";
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

export function ConversationPane({ id, meId, meName, users, onChanged }: Props) {
  const { conversation, messages, loading, error, reload, addMessage, applyConversation } = useConversation(id);
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

  if (!conversation) {
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
    <div className="conversation-pane" data-testid="conversation-pane">
      <ConversationHeader
        conversation={conversation}
        meId={meId}
        meName={meName}
        users={users}
        busy={busy}
        onPatch={(body) => void patch(body)}
      />
      <ErrorMessage error={actionError ?? error} className="pane-error" />
      <MessageTimeline messages={messages} contactName={conversation.contact.name} />
      <Composer key={id} conversationId={id} botOwns={conversation.owner === "bot"} onSent={addMessage} />
    </div>
  );
}
