import { useSyncExternalStore } from "react";
import type { Role } from "../../shared/schemas/index.js";

export type Route =
  | { page: "login" }
  | { page: "inbox"; conversationId: string | null }
  | { page: "reports"; section: string | null }
  | { page: "admin"; section: string | null }
  | { page: "profile" }
  | { page: "set-password"; token: string }
  | { page: "none" };

/** Parses "#/inbox/<id>", "#/reports", "#/admin/labels", "#/set-password?token=…" ... */
export function parseHash(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(safeDecode);
  switch (parts[0]) {
    case "login":
      return { page: "login" };
    case "inbox":
      return { page: "inbox", conversationId: parts[1] ?? null };
    case "reports":
      return { page: "reports", section: parts[1] ?? null };
    case "admin":
      return { page: "admin", section: parts[1] ?? null };
    case "profile":
      return { page: "profile" };
    case "set-password":
      return { page: "set-password", token: new URLSearchParams(search).get("token") ?? "" };
    default:
      return { page: "none" };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function hrefFor(route: Route): string {
  switch (route.page) {
    case "inbox":
      return route.conversationId ? `#/inbox/${encodeURIComponent(route.conversationId)}` : "#/inbox";
    case "admin":
      return route.section ? `#/admin/${encodeURIComponent(route.section)}` : "#/admin";
    case "set-password":
      return `#/set-password?token=${encodeURIComponent(route.token)}`;
    case "none":
      return "#/";
    default:
      return `#/${route.page}`;
  }
}

export function navigate(route: Route, { replace = false } = {}): void {
  const href = hrefFor(route);
  if (window.location.hash === href) return;
  if (replace) window.history.replaceState(null, "", href);
  else window.location.hash = href;
  if (replace) window.dispatchEvent(new HashChangeEvent("hashchange"));
}

function subscribe(listener: () => void): () => void {
  window.addEventListener("hashchange", listener);
  return () => window.removeEventListener("hashchange", listener);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

export function canSee(page: Route["page"], role: Role): boolean {
  if (page === "reports") return role === "admin" || role === "supervisor";
  if (page === "admin") return role === "admin";
  return page === "inbox" || page === "profile";
}

/** Where each role lands after logging in. */
export function homeFor(_role: Role): Route {
  return { page: "inbox", conversationId: null };
}
