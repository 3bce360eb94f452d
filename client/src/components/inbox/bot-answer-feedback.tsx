import { useState } from "react";
import type { Message } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { errorText } from "../../lib/errors";
import { putLiveMessage } from "../../live/store";
import { Icon } from "../icons";

/**
 * Under a bot's answer: the articles it cited and a thumbs-down any agent can give (or take back).
 * The server echoes the change to everyone as message.updated; the answer is applied here at once.
 */
export function BotAnswerFeedback({ conversationId, message: m }: { conversationId: string; message: Message }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!m.bot) return null;
  const mark = m.bot.wrongAnswer;

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      const res = mark ? await api.unmarkWrongAnswer(conversationId, m.id) : await api.markWrongAnswer(conversationId, m.id, {});
      putLiveMessage(res.message);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="bot-feedback" data-testid="bot-feedback">
      <span className="muted">
        {m.bot.stage === "rules" ? "From a rule" : m.bot.stage === "knowledge" ? "From the knowledge base" : "Written by the AI model"}
        {m.bot.articles.length > 0 && `: ${m.bot.articles.map((a) => a.title).join(", ")}`}
      </span>
      <button
        type="button"
        className="button-small"
        aria-pressed={Boolean(mark)}
        disabled={busy}
        onClick={() => void toggle()}
        title={mark ? "Take back the mark" : "Mark this answer wrong (for the bot's owners)"}
        data-testid="wrong-answer"
      >
        <Icon name="thumbsDown" size={14} /> {mark ? "Marked wrong" : "Wrong answer"}
      </button>
      {mark && (
        <span className="muted" data-testid="wrong-answer-by">
          by {mark.userName ?? "someone"}
          {mark.note ? `: ${mark.note}` : ""}
        </span>
      )}
      {error && (
        <span role="alert" className="text-danger">
          {error}
        </span>
      )}
    </div>
  );
}
