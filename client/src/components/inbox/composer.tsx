import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import type { Message } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { ErrorMessage } from "../error-message";

type Mode = "reply" | "note";

/** Unsent text per conversation, so switching conversations keeps a draft. */
const drafts = new Map<string, string>();

interface Props {
  conversationId: string;
  botOwns: boolean;
  onSent: (message: Message) => void;
}

export function Composer({ conversationId, botOwns, onSent }: Props) {
  const [mode, setMode] = useState<Mode>("reply");
  const [text, setTextState] = useState(() => drafts.get(conversationId) ?? "");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const hintId = useId();

  const setText = (value: string) => {
    setTextState(value);
    if (value) drafts.set(conversationId, value);
    else drafts.delete(conversationId);
  };

  const blocked = mode === "reply" && botOwns;
  const canSend = !blocked && !sending && text.trim().length > 0;

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    setSending(true);
    setError(null);
    try {
      const { message } = await api.sendMessage(conversationId, {
        text,
        visibility: mode === "note" ? "note" : "public",
      });
      setText("");
      onSent(message);
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form className={`composer composer-${mode}`} onSubmit={send} aria-label="Write a message">
      <div className="composer-modes" role="radiogroup" aria-label="Message type">
        <button
          type="button"
          role="radio"
          aria-checked={mode === "reply"}
          className="mode"
          onClick={() => setMode("reply")}
          data-testid="composer-mode-reply"
        >
          Reply
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={mode === "note"}
          className="mode"
          onClick={() => setMode("note")}
          data-testid="composer-mode-note"
        >
          Note
        </button>
        <span className="muted composer-hint" id={hintId}>
          {blocked
            ? "The bot owns this conversation — take over to reply. You can still add an internal note."
            : mode === "note"
              ? "Internal note: only your team sees it."
              : "Reply: sent to the customer."}
        </span>
      </div>
      <label className="visually-hidden" htmlFor={`${hintId}-input`}>
        {mode === "note" ? "Internal note" : "Reply"}
      </label>
      <textarea
        id={`${hintId}-input`}
        rows={3}
        value={text}
        disabled={blocked}
        aria-describedby={hintId}
        placeholder={
          blocked ? "The bot owns this conversation — take over to reply" : mode === "note" ? "Write an internal note…" : "Write a reply…"
        }
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        maxLength={4000}
        data-testid="composer-input"
      />
      <ErrorMessage error={error} />
      <div className="composer-footer">
        <span className="muted">Ctrl/⌘ + Enter to send</span>
        <button type="submit" className="primary" disabled={!canSend} data-testid="composer-send">
          {sending ? "Sending…" : mode === "note" ? "Add note" : "Send"}
        </button>
      </div>
    </form>
  );
}
