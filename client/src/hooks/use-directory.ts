import { useEffect, useState } from "react";
import type { Channel, User } from "../../../shared/schemas/index.js";
import { api } from "../api";
import { useSession } from "../session";

/**
 * Names for ids the inbox shows: channels (everyone may list them) and users (only admins may
 * list them; others see "you" for themselves and a neutral label for colleagues).
 */
export function useDirectory() {
  const { user } = useSession();
  const [channels, setChannels] = useState<Map<string, Channel>>(new Map());
  const [users, setUsers] = useState<Map<string, User>>(new Map());

  useEffect(() => {
    let live = true;
    api
      .listChannels()
      .then((res) => live && setChannels(new Map(res.items.map((c) => [c.id, c]))))
      .catch(() => undefined);
    if (user.role === "admin") {
      api
        .listUsers()
        .then((res) => live && setUsers(new Map(res.items.map((u) => [u.id, u]))))
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [user.role]);

  function userName(id: string | null): string {
    if (!id) return "Unassigned";
    if (id === user.id) return `${user.name} (you)`;
    return users.get(id)?.name ?? "Another teammate";
  }

  function channelName(id: string): string | undefined {
    return channels.get(id)?.name;
  }

  return { channels, userName, channelName };
}
