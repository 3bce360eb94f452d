import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { z } from "zod";
import { fillCanned, type CannedResponse, type Conversation, type CreateMessageRequest } from "../../../../shared/schemas/index.js";
import { lengthIn, loadUnit, unitReady } from "../../../../shared/text-length.js";
import { api, ApiError } from "../../api";
import { useActiveUsers } from "../../hooks/queries";
import { updateDraft, useDraft, type ComposerMode } from "../../inbox/composer-store";
import { accepts, mentionedIds, NOTE_MAX, replaceRange, tokenAt } from "../../inbox/composer-text";
import { errorText } from "../../lib/errors";
import { noteTyping, stopTyping, type Person } from "../../live/presence";
import { putLiveMessage } from "../../live/store";
import { keys, orMissing } from "../../query-client";
import { useSession } from "../../session";
import { platformLabel } from "../../social/platforms";
import { paramCount } from "../../social/templates";
import { ErrorMessage } from "../error-message";
import { Icon } from "../icons";
import { EmojiPicker } from "./emoji-picker";
import { ReplyWindow } from "./reply-window";
import { SurfacePicker, type Surface } from "./surface-picker";
import { TemplatePicker, templateReady, type TemplateChoice } from "./template-picker";

interface Props {
  conversation: Conversation;
  /** Teammates typing here now: sending while one is gets a soft warning. */
  typingOthers: Person[];
  /** The reply options may have changed (window ran out, private reply used, send refused): refetch. */
  onStale: () => void;
}

interface PendingFile {
  key: string;
  name: string;
  state: "uploading" | "ready" | "failed";
  uploadId?: string;
  error?: string;
}

function hintFor(mode: ComposerMode, surface: Surface | null, c: Conversation): string {
  if (mode === "note") return "Internal note: only your team sees it. Type @ to mention a teammate.";
  if (c.owner === "bot") return "The bot owns this conversation — take over to reply. You can still add an internal note.";
  if (surface === "private_reply") return "Private reply: sent to the commenter as a direct message. Only one is allowed per comment.";
  if (surface === "template") return "Template: an approved message, with its parameters filled in.";
  if (c.kind === "dm") return "Reply: sent to the customer. Type / for saved replies.";
  if (c.kind === "review") return "Public reply: shown under the review.";
  return "Public reply: everyone who can see the post sees it.";
}

type Suggest = { kind: "canned"; start: number; query: string } | { kind: "mention"; start: number; query: string } | null;

export function Composer({ conversation: c, typingOthers, onStale }: Props) {
  const { user } = useSession();
  const options = c.replyOptions;
  const draft = useDraft(c.id);
  const { mode, text } = draft;
  const [chosen, setChosen] = useState<Surface | null>(null);
  const [template, setTemplate] = useState<TemplateChoice>({ index: 0, params: [] });
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirmOver, setConfirmOver] = useState<string | null>(null);
  const [suggest, setSuggest] = useState<Suggest>(null);
  const [active, setActive] = useState(0);
  const [files, setFiles] = useState<PendingFile[]>([]);
  const mentions = useRef(new Map<string, string>());
  const input = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const users = useActiveUsers();

  const setText = (value: string) => updateDraft(c.id, { text: value });
  const setMode = (m: ComposerMode) => updateDraft(c.id, { mode: m });

  // r / n / "use this reply" ask for focus.
  useEffect(() => {
    if (draft.focus > 0) input.current?.focus();
  }, [draft.focus]);
  useEffect(() => () => stopTyping(c.id), [c.id]);

  // The chosen surface, or the first one allowed when the choice is no longer offered.
  const surface: Surface | null = chosen && options.surfaces.includes(chosen) ? chosen : (options.surfaces[0] ?? null);
  const botOwns = c.owner === "bot";
  const noSurface = mode === "reply" && !botOwns && surface === null;
  const blocked = mode === "reply" && (botOwns || surface === null);
  const usesTemplate = mode === "reply" && !blocked && surface === "template";
  const maxLength = mode === "note" ? NOTE_MAX : options.maxLength;
  // Counted as the platform counts it: Google's review replies in UTF-8 bytes, X's posts weighted, the rest in characters.
  const unit = mode === "note" ? "characters" : options.lengthUnit;
  const [, counterLoaded] = useState(0);
  useEffect(() => {
    if (!unitReady(unit)) void loadUnit(unit).then(() => counterLoaded((n) => n + 1));
  }, [unit]);
  // Until X's counter has loaded (a moment, once), its posts are counted in characters.
  const length = unitReady(unit) ? lengthIn(text, unit) : text.length;
  const tooLong = !usesTemplate && length > maxLength;
  const attach = mode === "reply" && !blocked && !usesTemplate ? options.attachments : null;
  const readyFiles = attach ? files.filter((f) => f.state === "ready") : [];
  const uploading = files.some((f) => f.state === "uploading");
  const canSend =
    !blocked &&
    !sending &&
    !uploading &&
    (usesTemplate ? templateReady(options.templates, template) : (text.trim().length > 0 || readyFiles.length > 0) && !tooLong);

  const cannedQuery = suggest?.kind === "canned" ? suggest.query : null;
  const canned = useQuery({
    queryKey: keys.canned(cannedQuery ?? ""),
    queryFn: () => orMissing(async () => (await api.listCanned(cannedQuery || undefined)).items),
    enabled: cannedQuery !== null,
    staleTime: 30_000,
  }).data;
  const cannedMatches: CannedResponse[] = (canned ?? []).filter((r) => !cannedQuery || r.shortcut.startsWith(cannedQuery.toLowerCase()) || r.title.toLowerCase().includes(cannedQuery.toLowerCase())).slice(0, 8);
  const mentionMatches = suggest?.kind === "mention" ? users.filter((u) => u.id !== user.id && u.name.toLowerCase().includes(suggest.query.toLowerCase())).slice(0, 8) : [];
  const suggestions = suggest?.kind === "canned" ? cannedMatches.length : mentionMatches.length;

  function refreshSuggest(value: string, caret: number) {
    const slash = mode === "reply" || mode === "note" ? tokenAt(value, caret, "/") : null;
    const at = mode === "note" ? tokenAt(value, caret, "@") : null;
    const next: Suggest = slash ? { kind: "canned", ...slash } : at ? { kind: "mention", ...at } : null;
    setSuggest(next);
    setActive(0);
  }

  function insertAt(start: number, insert: string) {
    const el = input.current;
    const caret = el?.selectionStart ?? text.length;
    const next = replaceRange(text, start, caret, insert);
    setText(next.text);
    setSuggest(null);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(next.caret, next.caret);
    });
  }

  function pickCanned(r: CannedResponse) {
    if (!suggest) return;
    const first = (s: string | null | undefined) => s?.trim().split(/\s+/)[0];
    const filled = fillCanned(r.text, {
      "contact.name": c.contact.name,
      "contact.first_name": first(c.contact.name),
      "agent.name": user.name,
      "agent.first_name": first(user.name),
      "channel.name": c.channelName,
      "conversation.id": c.id,
    });
    insertAt(suggest.start, filled);
  }

  function pickMention(u: { id: string; name: string }) {
    if (!suggest) return;
    mentions.current.set(u.name, u.id);
    insertAt(suggest.start, `@${u.name} `);
  }

  function insertEmoji(e: string) {
    const el = input.current;
    const caret = el?.selectionStart ?? text.length;
    insertAt(caret, e);
  }

  async function addFiles(list: FileList | null) {
    if (!list || !attach) return;
    setError(null);
    const room = attach.maxCount - files.filter((f) => f.state !== "failed").length;
    const chosenFiles = [...list];
    if (chosenFiles.length > room) setError(new Error(`At most ${attach.maxCount} file${attach.maxCount === 1 ? "" : "s"} per reply on ${platformLabel(c.platform)}.`));
    for (const file of chosenFiles.slice(0, Math.max(0, room))) {
      const key = `${file.name}-${file.size}-${Math.random()}`;
      if (!accepts(attach.accept, file.type)) {
        setFiles((fs) => [...fs, { key, name: file.name, state: "failed", error: `${platformLabel(c.platform)} does not take this type of file here.` }]);
        continue;
      }
      if (file.size > attach.maxBytes) {
        setFiles((fs) => [...fs, { key, name: file.name, state: "failed", error: `Too large: at most ${Math.floor(attach.maxBytes / 1024 / 1024) || 1} MB here.` }]);
        continue;
      }
      setFiles((fs) => [...fs, { key, name: file.name, state: "uploading" }]);
      try {
        const { upload } = await api.upload(file);
        setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, state: "ready", uploadId: upload.id } : f)));
      } catch (err) {
        setFiles((fs) => fs.map((f) => (f.key === key ? { ...f, state: "failed", error: errorText(err) } : f)));
      }
    }
  }

  function body(): z.input<typeof CreateMessageRequest> {
    if (mode === "note") {
      const ids = mentionedIds(text, mentions.current);
      return ids.length ? { text, visibility: "note", mentions: ids } : { text, visibility: "note" };
    }
    if (usesTemplate) {
      const t = options.templates[template.index]!;
      const params = Array.from({ length: paramCount(t.body) }, (_, i) => template.params[i]?.trim() ?? "");
      return { text: "", visibility: "public", template: { name: t.name, language: t.language, params } };
    }
    const attachmentIds = readyFiles.map((f) => f.uploadId!);
    return { text, visibility: surface === "private_reply" ? "private" : "public", ...(attachmentIds.length ? { attachmentIds } : {}) };
  }

  async function send(event?: FormEvent, force = false) {
    event?.preventDefault();
    if (!canSend) return;
    // A soft warning: someone else is writing a reply here right now.
    const other = typingOthers.find((p) => p.userId !== user.id);
    if (mode === "reply" && other && !force) {
      setConfirmOver(other.name);
      return;
    }
    setConfirmOver(null);
    setSending(true);
    setError(null);
    try {
      const { message } = await api.sendMessage(c.id, body());
      stopTyping(c.id);
      if (usesTemplate) setTemplate({ index: template.index, params: [] });
      else {
        setText("");
        setFiles([]);
        mentions.current.clear();
      }
      putLiveMessage(message, false);
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
    if (suggest && suggestions > 0) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        setActive((a) => (a + (event.key === "ArrowDown" ? 1 : suggestions - 1)) % suggestions);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        if (suggest.kind === "canned") pickCanned(cannedMatches[active]!);
        else pickMention(mentionMatches[active]!);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        setSuggest(null);
        return;
      }
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  const showPicker = mode === "reply" && !botOwns && options.surfaces.length > 1 && surface !== null;
  const listId = `${hintId}-suggest`;
  return (
    <form className={`composer composer-${mode}`} onSubmit={send} aria-label="Write a message" data-surface={mode === "note" ? "note" : (surface ?? "none")}>
      <div className="composer-modes">
        <div className="mode-group" role="radiogroup" aria-label="Message type">
          <button type="button" role="radio" aria-checked={mode === "reply"} className="mode" onClick={() => setMode("reply")} data-testid="composer-mode-reply">
            <Icon name="reply" size={14} /> Reply
          </button>
          <button type="button" role="radio" aria-checked={mode === "note"} className="mode" onClick={() => setMode("note")} data-testid="composer-mode-note">
            <Icon name="note" size={14} /> Note
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
        <div className="composer-input-wrap">
          <label className="visually-hidden" htmlFor={`${hintId}-input`}>
            {mode === "note" ? "Internal note" : surface === "private_reply" ? "Private reply" : "Reply"}
          </label>
          <textarea
            id={`${hintId}-input`}
            ref={input}
            rows={3}
            dir="auto"
            value={text}
            disabled={blocked}
            aria-describedby={hintId}
            aria-invalid={tooLong || undefined}
            aria-autocomplete="list"
            aria-controls={suggest && suggestions > 0 ? listId : undefined}
            aria-activedescendant={suggest && suggestions > 0 ? `${listId}-${active}` : undefined}
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
            onChange={(e) => {
              setText(e.target.value);
              setConfirmOver(null);
              refreshSuggest(e.target.value, e.target.selectionStart);
              if (e.target.value) noteTyping(c.id);
              else stopTyping(c.id);
            }}
            onBlur={() => setTimeout(() => setSuggest(null), 150)}
            onKeyDown={onKeyDown}
            data-testid="composer-input"
          />
          {suggest && suggestions > 0 && (
            <ul className="suggest" id={listId} role="listbox" aria-label={suggest.kind === "canned" ? "Saved replies" : "Teammates"} data-testid={suggest.kind === "canned" ? "canned-suggestions" : "mention-suggestions"}>
              {suggest.kind === "canned"
                ? cannedMatches.map((r, i) => (
                    <li key={r.id} id={`${listId}-${i}`} role="option" aria-selected={i === active} onMouseDown={(e) => (e.preventDefault(), pickCanned(r))} data-testid="canned-option">
                      <strong>/{r.shortcut}</strong> {r.title}
                      <span className="muted suggest-preview" dir="auto">
                        {r.text}
                      </span>
                    </li>
                  ))
                : mentionMatches.map((u, i) => (
                    <li key={u.id} id={`${listId}-${i}`} role="option" aria-selected={i === active} onMouseDown={(e) => (e.preventDefault(), pickMention(u))} data-testid="mention-option">
                      {u.name} <span className="muted">{u.email}</span>
                    </li>
                  ))}
            </ul>
          )}
          {suggest?.kind === "canned" && canned === null && (
            <p className="muted suggest-none" role="status">
              Saved replies are not available on this server yet.
            </p>
          )}
        </div>
      )}
      {files.length > 0 && (
        <ul className="upload-list" aria-label="Files to send">
          {files.map((f) => (
            <li key={f.key} data-testid="upload" data-state={f.state}>
              <Icon name="clip" size={14} /> <span dir="auto">{f.name}</span>{" "}
              {f.state === "uploading" ? <span className="muted">uploading…</span> : f.state === "failed" ? <span className="text-danger">{f.error}</span> : null}
              <button type="button" className="icon-button tiny" aria-label={`Remove ${f.name}`} onClick={() => setFiles((fs) => fs.filter((x) => x.key !== f.key))}>
                <Icon name="close" size={12} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {confirmOver && (
        <div className="typing-warning" role="alert" data-testid="typing-warning">
          <strong>{confirmOver}</strong> is typing a reply here right now.{" "}
          <button type="button" className="button-small" onClick={() => void send(undefined, true)} data-testid="send-anyway">
            Send anyway
          </button>{" "}
          <button type="button" className="button-small" onClick={() => setConfirmOver(null)}>
            Wait
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="composer-footer">
        <div className="composer-tools">
          {!usesTemplate && <EmojiPicker onPick={insertEmoji} disabled={blocked} />}
          {attach && (
            <>
              <button type="button" className="icon-button" onClick={() => fileInput.current?.click()} aria-label="Attach files" title={`Attach files (up to ${attach.maxCount})`} data-testid="attach-button">
                <Icon name="clip" />
              </button>
              <input ref={fileInput} type="file" hidden multiple={attach.maxCount > 1} accept={attach.accept.join(",") || undefined} onChange={(e) => (void addFiles(e.target.files), (e.target.value = ""))} data-testid="attach-input" />
            </>
          )}
          <span className="muted">
            {!usesTemplate && !blocked && (
              <>
                <span className={`composer-counter${tooLong ? " text-danger" : ""}`} data-testid="composer-counter" aria-live={tooLong ? "polite" : "off"} title={unit === "weighted" ? "As X counts: CJK characters and emoji count 2, every link 23" : undefined}>
                  {length} / {maxLength}
                  {unit === "bytes" ? " bytes" : ""}
                  {tooLong ? " — too long" : ""}
                </span>
                <span className="hide-phone"> · Ctrl/⌘ + Enter to send</span>
              </>
            )}
          </span>
        </div>
        <button type="submit" className="primary" disabled={!canSend} data-testid="composer-send">
          {sending ? "Sending…" : mode === "note" ? "Add note" : surface === "private_reply" ? "Send private reply" : usesTemplate ? "Send template" : "Send"}
        </button>
      </div>
    </form>
  );
}
