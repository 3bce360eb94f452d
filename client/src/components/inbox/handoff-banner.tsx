import type { Conversation } from "../../../../shared/schemas/index.js";
import { focusComposer } from "../../inbox/composer-store";
import { Icon } from "../icons";

/**
 * Why the bot handed over, what the customer wants, a draft the agent takes into the composer (to
 * edit before sending), and handing the conversation back to the bot in one click.
 */
export function HandoffBanner({ conversation: c, busy, onHandBack }: { conversation: Conversation; busy: boolean; onHandBack: () => void }) {
  const h = c.handoff;
  if (!h && !c.handoffReason) return null;
  if (c.owner === "bot" || c.status === "resolved") return null;
  return (
    <div className="handoff-banner" data-testid="handoff-banner">
      <p className="handoff-reason" data-testid="handoff-reason">
        <Icon name="bot" size={16} /> Handed off by the bot: {h?.reasonText ?? c.handoffReason}
      </p>
      {h?.summary && (
        <p className="handoff-summary" dir="auto" data-testid="handoff-summary">
          {h.summary}
        </p>
      )}
      {h?.suggestedReply && (
        <div className="handoff-suggestion">
          <p dir="auto" data-testid="handoff-suggested">
            <span className="muted">Suggested reply: </span>
            {h.suggestedReply}
          </p>
          <button type="button" className="button-small" onClick={() => focusComposer(c.id, "reply", h.suggestedReply!)} data-testid="use-suggested-reply">
            Edit and send this reply
          </button>
        </div>
      )}
      <div className="button-row">
        <button type="button" className="button-small" disabled={busy} onClick={onHandBack} data-testid="handoff-hand-back">
          Hand back to the bot
        </button>
      </div>
    </div>
  );
}
