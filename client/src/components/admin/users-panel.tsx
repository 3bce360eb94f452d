import { useCallback, useEffect, useState } from "react";
import { roles, type Role, type User } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { useSession } from "../../session";
import { ErrorMessage } from "../error-message";
import { CreateUserForm } from "./create-user-form";

export function UsersPanel() {
  const { user: me } = useSession();
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setUsers((await api.listUsers()).items);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function changeRole(user: User, role: Role) {
    setError(null);
    try {
      await api.updateUser(user.id, { role });
    } catch (err) {
      setError(err);
    }
    await load();
  }

  return (
    <section className="admin-section" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <ErrorMessage error={error} />
      {users === null && !error && <p className="muted">Loading users…</p>}
      {users && (
        <table className="data-table" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid="user-row" data-user-id={u.id}>
                <td>
                  {u.name}
                  {u.id === me.id && <span className="muted"> (you)</span>}
                </td>
                <td>{u.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.name}`}
                    value={u.role}
                    disabled={u.id === me.id}
                    title={u.id === me.id ? "You cannot change your own role" : undefined}
                    onChange={(e) => void changeRole(u, e.target.value as Role)}
                  >
                    {roles.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CreateUserForm onCreated={() => void load()} />
    </section>
  );
}
