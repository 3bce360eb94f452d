import { useEffect, useLayoutEffect, useRef } from "react";

/** Keys the console answers to, and what they do (the help overlay lists these). */
export const shortcutList: { keys: string; does: string }[] = [
  { keys: "j / k", does: "Next / previous conversation" },
  { keys: "Enter", does: "Open the highlighted conversation (phones: back with Esc)" },
  { keys: "r", does: "Reply" },
  { keys: "n", does: "Write an internal note" },
  { keys: "e", does: "Resolve (or reopen) the open conversation" },
  { keys: "a", does: "Assign" },
  { keys: "s", does: "Snooze" },
  { keys: "l", does: "Labels" },
  { keys: "x", does: "Select the highlighted conversation for bulk actions" },
  { keys: "/", does: "Search" },
  { keys: "Ctrl/⌘ + Enter", does: "Send" },
  { keys: "Esc", does: "Close a menu, leave a field, back to the list on phones" },
  { keys: "?", does: "This help" },
];

export type ShortcutHandlers = Partial<Record<string, (e: KeyboardEvent) => void>>;

const layers: { current: ShortcutHandlers }[] = [];

function editable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

function onKeyDown(e: KeyboardEvent) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (editable(e.target)) {
    // Esc leaves a field, so the next key is a shortcut again.
    if (e.key === "Escape" && e.target instanceof HTMLElement && !e.target.closest("[role=dialog]")) e.target.blur();
    return;
  }
  // Inside an open menu or dialog, keys belong to it.
  if (e.target instanceof HTMLElement && e.target.closest(".popover, [role=dialog]") && e.key !== "Escape") return;
  for (let i = layers.length - 1; i >= 0; i--) {
    const handler = layers[i]!.current[e.key];
    if (handler) {
      e.preventDefault();
      handler(e);
      return;
    }
  }
}

/** Registers keyboard shortcuts while the component is mounted; later (inner) registrations win. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  useLayoutEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    if (layers.length === 0) document.addEventListener("keydown", onKeyDown);
    layers.push(ref);
    return () => {
      layers.splice(layers.indexOf(ref), 1);
      if (layers.length === 0) document.removeEventListener("keydown", onKeyDown);
    };
  }, []);
}

export function useGlobalShortcuts({ onHelp }: { onHelp: () => void }): void {
  useShortcuts({
    "?": onHelp,
    "/": () => {
      const search = document.querySelector<HTMLInputElement>("[data-search-input]");
      if (search) search.focus();
      else window.location.hash = "#/inbox";
    },
  });
}
