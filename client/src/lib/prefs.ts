import { useSyncExternalStore } from "react";

/** Per-browser preferences (theme, alerts, last inbox view), kept in localStorage. */
export interface Prefs {
  theme: "system" | "light" | "dark";
  desktopAlerts: boolean;
  soundAlerts: boolean;
}

const KEY = "parley.prefs";
const defaults: Prefs = { theme: "system", desktopAlerts: false, soundAlerts: false };
const listeners = new Set<() => void>();

function read(): Prefs {
  try {
    return { ...defaults, ...(JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<Prefs>) };
  } catch {
    return defaults;
  }
}

let current = read();

export function getPrefs(): Prefs {
  return current;
}

export function setPrefs(change: Partial<Prefs>): void {
  current = { ...current, ...change };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  for (const l of listeners) l();
}

export function usePrefs(): Prefs {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getPrefs,
  );
}

/** A stored JSON value of its own key (e.g. the inbox's last view), or the fallback. */
export function loadLocal<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function saveLocal(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // ignore: not stored
  }
}
