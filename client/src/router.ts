import { useSyncExternalStore } from "react";
import type { Role } from "../../shared/schemas/index.js";

export type Route =
  | { page: "login" }
  | { page: "inbox"; conversationId: string | null }
  | { page: "reports" }
  | { page: "admin" }
  | { page: "none" };

/** Parses "#/inbox/<id>", "#/reports", ... */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case "login":
      return { page: "login" };
    case "inbox":
      return { page: "inbox", conversationId: parts[1] ?? null };
    case "reports":
      return { page: "reports" };
    case "admin":
      return { page: "admin" };
    default:
      return { page: "none" };
  }
}

export function hrefFor(route: Route): string {
  if (route.page === "inbox") return route.conversationId ? `#/inbox/${encodeURIComponent(route.conversationId)}` : "#/inbox";
  if (route.page === "none") return "#/";
  return `#/${route.page}`;
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
  return page === "inbox";
}

/** Where each role lands after logging in. */
export function homeFor(_role: Role): Route {
  return { page: "inbox", conversationId: null };
}
