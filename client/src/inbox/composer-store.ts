import { useSyncExternalStore } from "react";

/**
 * The composer's draft and mode per conversation, outside React state: switching conversations
 * keeps a draft, and other parts of the pane (a hand-off's suggested reply, the r / n shortcuts)
 * can fill the composer or focus it.
 */
export type ComposerMode = "reply" | "note";

interface Draft {
  text: string;
  mode: ComposerMode;
  /** Bumped to ask the composer to take focus. */
  focus: number;
}

const drafts = new Map<string, Draft>();
const listeners = new Set<() => void>();
const empty: Draft = { text: "", mode: "reply", focus: 0 };

function emit() {
  for (const l of listeners) l();
}

export function getDraft(id: string): Draft {
  return drafts.get(id) ?? empty;
}

export function updateDraft(id: string, change: Partial<Draft>): void {
  const next = { ...getDraft(id), ...change };
  if (!next.text && next.mode === "reply" && next.focus === 0) drafts.delete(id);
  else drafts.set(id, next);
  emit();
}

/** Opens the composer in a mode and focuses it, optionally with text. */
export function focusComposer(id: string, mode: ComposerMode, text?: string): void {
  const d = getDraft(id);
  updateDraft(id, { mode, focus: d.focus + 1, ...(text !== undefined ? { text } : {}) });
}

export function useDraft(id: string): Draft {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => getDraft(id),
  );
}
