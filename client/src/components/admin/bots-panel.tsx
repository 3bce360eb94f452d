import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api";
import { keys } from "../../query-client";
import { ErrorMessage } from "../error-message";
import { BotEditor } from "./bot-editor";
import { DryRunPanel } from "./dry-run-panel";
import { PipelineEditor } from "./pipeline-editor";

/** Admin → Bots: pick a channel, then its pipeline, rules and hand-off settings, and a dry run. */
export function BotsPanel() {
  const { data, error } = useQuery({ queryKey: keys.channels, queryFn: async () => (await api.listChannels()).items });
  const [picked, setPicked] = useState<string | null>(null);
  const channelId = picked ?? data?.[0]?.id ?? null;
  const channel = data?.find((c) => c.id === channelId);
  return (
    <section className="admin-section" aria-labelledby="bots-title">
      <h2 id="bots-title">Bots</h2>
      <ErrorMessage error={error} />
      {data?.length === 0 && <p className="muted">No channels yet: connect one under Channels first.</p>}
      {data && data.length > 0 && (
        <label className="inline-field">
          Channel{" "}
          <select value={channelId ?? ""} onChange={(e) => setPicked(e.target.value)} data-testid="bots-channel">
            {data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.platform})
              </option>
            ))}
          </select>
        </label>
      )}
      {channel && (
        <>
          <p className="muted" data-testid="bots-channel-state">
            The bot is {channel.botEnabled ? "on" : "off"} for this channel (switch it under Channels). Stages run in order; the first that
            answers or hands off ends the turn.
          </p>
          <PipelineEditor key={`p-${channel.id}`} channelId={channel.id} />
          <div className="panel">
            <BotEditor key={`r-${channel.id}`} channelId={channel.id} />
          </div>
          <DryRunPanel key={`d-${channel.id}`} channelId={channel.id} />
        </>
      )}
    </section>
  );
}
