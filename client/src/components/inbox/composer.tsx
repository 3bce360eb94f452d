import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import type { z } from "zod";
import type { Conversation, CreateMessageRequest, Message } from "../../../../shared/schemas/index.js";
import { api, ApiError } from "../../api";
import { platformLabel } from "../../social/platforms";
import { paramCount } from "../../social/templates";
import { ErrorMessage } from "../error-message";
import { ReplyWindow } from "./reply-window";
import { SurfacePicker, type Surface } from "./surface-picker";
import { TemplatePicker, templateReady, type TemplateChoice } from "./template-picker";

type Mode = "reply" | "note";

/** The longest note the API takes (CreateMessageRequest.text). */
const NOTE_MAX = 4096;

/** Unsent text per conversation, so switching conversations keeps a draft. */
const drafts = new Map<string, string>();

interface Props {
  conversation: Conversation;
  onSent: (message: Message) => void;
  /** The reply options may have changed (window ran out, private reply used, send refused): refetch. */
  onStale: () => void;
}

function hintFor(mode: Mode, surface: Surface | null, c: Conversation): string {
  if (mode === "note") return "Internal note: only your team sees it.";
  if (c.owner === "bot") return "The bot owns this conversation — take over to reply. You can still add an internal note.";
  if (surface === "private_reply") return "Private reply: sent to the commenter as a direct message. Only one is allowed per comment.";
  if (surface === "template") return "Template: an approved message, with its parameters filled in.";
  if (c.kind === "dm") return "Reply: sent to the customer.";
  if (c.kind === "review") return "Public reply: shown under the review.";
  return "Public reply: everyone who can see the post sees it.";
}

export function Composer({ conversation: c, onSent, onStale }: Props) {
  const options = c.replyOptions;
  const [mode, setMode] = useState<Mode>("reply");
  const [chosen, setChosen] = useState<Surface | null>(null);
  const [template, setTemplate] = useState<TemplateChoice>({ index: 0, params: [] });
  const [text, setTextState] = useState(() => drafts.get(c.id) ?? "");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const hintId = useId();

  const setText = (value: string) => {
    setTextState(value);
    if (value) drafts.set(c.id, value);
    else drafts.delete(c.id);
  };

  // The chosen surface, or the first one allowed when the choice is no longer offered.
  const surface: Surface | null = chosen && options.surfaces.includes(chosen) ? chosen : (options.surfaces[0] ?? null);
  const botOwns = c.owner === "bot";
  const noSurface = mode === "reply" && !botOwns && surface === null;
  const blocked = mode === "reply" && (botOwns || surface === null);
  const usesTemplate = mode === "reply" && !blocked && surface === "template";
  const maxLength = mode === "note" ? NOTE_MAX : options.maxLength;
  const tooLong = !usesTemplate && text.length > maxLength;
  const canSend =
    !blocked && !sending && (usesTemplate ? templateReady(options.templates, template) : text.trim().length > 0 && !tooLong);

  function body(): z.input<typeof CreateMessageRequest> {
    if (mode === "note") return { text, visibility: "note" };
    if (usesTemplate) {
      const t = options.templates[template.index]!;
      const params = Array.from({ length: paramCount(t.body) }, (_, i) => template.params[i]?.trim() ?? "");
      return { text: "", visibility: "public", template: { name: t.name, language: t.language, params } };
    }
    return { text, visibility: surface === "private_reply" ? "private" : "public" };
  }

  async function send(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    setSending(true);
    setError(null);
    try {
      const { message } = await api.sendMessage(c.id, body());
      if (usesTemplate) setTemplate({ index: template.index, params: [] });
      else setText("");
      onSent(message);
      if (surface === "private_reply") onStale();
    } catch (err) {
      setError(err);
      // Refused (window closed, private reply already used): show what is allowed now.
      if (err instanceof ApiError && err.status === 409) onStale();
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

  const showPicker = mode === "reply" && !botOwns && options.surfaces.length > 1 && surface !== null;
  return (
    <form className={`composer composer-${mode}`} onSubmit={send} aria-label="Write a message" data-surface={mode === "note" ? "note" : (surface ?? "none")}>
      <div className="composer-modes">
        <div className="mode-group" role="radiogroup" aria-label="Message type">
          <button type="button" role="radio" aria-checked={mode === "reply"} className="mode" onClick={() => setMode("reply")} data-testid="composer-mode-reply">
            Reply
          </button>
          <button type="button" role="radio" aria-checked={mode === "note"} className="mode" onClick={() => setMode("note")} data-testid="composer-mode-note">
            Note
          </button>
        </div>
        {showPicker && <SurfacePicker surfaces={options.surfaces} value={surface} kind={c.kind} onChange={setChosen} />}
        <span className="muted composer-hint" id={hintId} data-testid="composer-hint">
          {hintFor(mode, surface, c)}
        </span>
      </div>
      {mode === "reply" && <ReplyWindow window={options.window} onChanged={onStale} />}
      {noSurface && (
        <p className="composer-blocked" role="status" data-testid="composer-blocked">
          {options.blockedReason ?? `${platformLabel(c.platform)} does not allow a reply here right now.`} You can still add an internal note.
        </p>
      )}
      {usesTemplate && options.surfaces.length === 1 && options.blockedReason && (
        <p className="composer-template-reason" data-testid="composer-template-reason">
          {options.blockedReason}
        </p>
      )}
      {usesTemplate ? (
        <TemplatePicker templates={options.templates} value={template} disabled={sending} onChange={setTemplate} />
      ) : (
        <>
          <label className="visually-hidden" htmlFor={`${hintId}-input`}>
            {mode === "note" ? "Internal note" : surface === "private_reply" ? "Private reply" : "Reply"}
          </label>
          <textarea
            id={`${hintId}-input`}
            rows={3}
            value={text}
            disabled={blocked}
            aria-describedby={hintId}
            aria-invalid={tooLong || undefined}
            placeholder={
              botOwns && mode === "reply"
                ? "The bot owns this conversation — take over to reply"
                : blocked
                  ? "Replies are not possible here right now"
                  : mode === "note"
                    ? "Write an internal note…"
                    : surface === "private_reply"
                      ? "Write a private reply…"
                      : "Write a reply…"
            }
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            data-testid="composer-input"
          />
        </>
      )}
      <ErrorMessage error={error} />
      <div className="composer-footer">
        <span className="muted">
          {!usesTemplate && !blocked && (
            <>
              <span className={`composer-counter${tooLong ? " text-danger" : ""}`} data-testid="composer-counter" aria-live={tooLong ? "polite" : "off"}>
                {text.length} / {maxLength}
                {tooLong ? " — too long" : ""}
              </span>
              {" · "}Ctrl/⌘ + Enter to send
            </>
          )}
        </span>
        <button type="submit" className="primary" disabled={!canSend} data-testid="composer-send">
          {sending ? "Sending…" : mode === "note" ? "Add note" : surface === "private_reply" ? "Send private reply" : usesTemplate ? "Send template" : "Send"}
        </button>
      </div>
    </form>
  );
}
