import { useEffect, useState } from "react";
import type { User } from "../../../shared/schemas/index.js";
import { api } from "../api";

/**
 * The workspace's users, for the "assign to" picker (every role may list them). Names shown in the
 * inbox come with the conversations themselves (assigneeName, channelName), so a failed load only
 * leaves the picker with fewer choices.
 */
export function useDirectory() {
  const [users, setUsers] = useState<User[]>([]);

  useEffect(() => {
    let live = true;
    api
      .listUsers()
      .then((res) => live && setUsers(res.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  return { users };
}
