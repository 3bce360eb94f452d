import { useCallback, useEffect, useState } from "react";
import type { Channel } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { ErrorMessage } from "../error-message";
import { ChannelCard } from "./channel-card";
import { CreateChannelForm } from "./create-channel-form";

export function ChannelsPanel() {
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setChannels((await api.listChannels()).items);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="admin-section" aria-labelledby="channels-title">
      <h2 id="channels-title">Channels</h2>
      <ErrorMessage error={error} />
      {channels === null && !error && <p className="muted">Loading channels…</p>}
      {channels?.length === 0 && <p className="muted">No channels yet. Add one below.</p>}
      <div className="channel-list">
        {channels?.map((c) => <ChannelCard key={c.id} channel={c} onChanged={() => void load()} />)}
      </div>
      <CreateChannelForm onCreated={() => void load()} />
    </section>
  );
}
