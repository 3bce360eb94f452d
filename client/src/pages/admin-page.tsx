import { ChannelsPanel } from "../components/admin/channels-panel";
import { UsersPanel } from "../components/admin/users-panel";

export function AdminPage() {
  return (
    <div className="page admin-page">
      <h1>Admin</h1>
      <ChannelsPanel />
      <UsersPanel />
    </div>
  );
}
