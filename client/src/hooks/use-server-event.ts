import { useEffect, useLayoutEffect, useRef, useSyncExternalStore } from "react";
import type { ServerEventName } from "../../../shared/schemas/index.js";
import {
  getConnectionState,
  onResync,
  onServerEvent,
  subscribeConnectionState,
  type ServerEventHandler,
} from "../socket";

function useLatest<T>(value: T) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

/** Subscribes to a Socket.IO event for the lifetime of the component. */
export function useServerEvent<K extends ServerEventName>(name: K, handler: ServerEventHandler<K>): void {
  const latest = useLatest(handler);
  useEffect(() => onServerEvent(name, (payload) => latest.current(payload)), [name, latest]);
}

/** Runs `handler` whenever the live connection is (re)established. */
export function useResync(handler: () => void): void {
  const latest = useLatest(handler);
  useEffect(() => onResync(() => latest.current()), [latest]);
}

export function useConnectionState() {
  return useSyncExternalStore(subscribeConnectionState, getConnectionState);
}
