import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { z } from "zod";
import type { BulkRequest } from "../../../../shared/schemas/index.js";
import { api, isMissingEndpoint } from "../../api";
import { errorText } from "../../lib/errors";
import { keys } from "../../query-client";
import { useSession } from "../../session";
import { Icon } from "../icons";
import { AssignMenu, LabelsMenu, PriorityMenu, SnoozeMenu } from "./action-menus";

type BulkSet = z.input<typeof BulkRequest>["set"];

/**
 * One change for many conversations. A server without the bulk endpoint gets the same change one
 * conversation at a time (status, assignee, priority, snooze).
 */
async function applyBulk(ids: string[], set: BulkSet): Promise<{ updated: number; failed: { id: string; error: string }[] }> {
  try {
    const res = await api.bulk({ ids, set });
    return { updated: res.updated.length, failed: res.failed };
  } catch (err) {
    if (!isMissingEndpoint(err) || set.labels || set.addLabels || set.removeLabels) throw err;
  }
  const failed: { id: string; error: string }[] = [];
  let updated = 0;
  for (const id of ids) {
    try {
      await api.updateConversation(id, set as Parameters<typeof api.updateConversation>[1]);
      updated++;
    } catch (err) {
      failed.push({ id, error: errorText(err) });
    }
  }
  return { updated, failed };
}

export function BulkBar({ ids, onDone }: { ids: string[]; onDone: (result?: string) => void }) {
  const { user } = useSession();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(set: BulkSet) {
    setBusy(true);
    setError(null);
    try {
      const res = await applyBulk(ids, set);
      // Fresh copies arrive by socket; refetch the open ones too in case the socket is down.
      for (const id of ids) void qc.invalidateQueries({ queryKey: keys.conversation(id) });
      void qc.invalidateQueries({ queryKey: keys.conversations });
      void qc.invalidateQueries({ queryKey: keys.counts });
      if (res.failed.length) setError(`${res.updated} updated; ${res.failed.length} could not be changed: ${res.failed[0]!.error}`);
      else onDone(`${res.updated} conversation${res.updated === 1 ? "" : "s"} updated`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="bulk-bar" role="toolbar" aria-label={`Actions for ${ids.length} selected conversations`} data-testid="bulk-bar">
      <strong data-testid="bulk-count">{ids.length} selected</strong>
      <button type="button" className="button-small" disabled={busy} onClick={() => void run({ status: "resolved" })} data-testid="bulk-resolve">
        <Icon name="check" size={15} /> Resolve
      </button>
      <button type="button" className="button-small" disabled={busy} onClick={() => void run({ status: "open" })} data-testid="bulk-reopen">
        Reopen
      </button>
      <AssignMenu assigneeId={null} meId={user.id} onAssign={(assigneeId) => void run({ assigneeId })} disabled={busy} />
      <PriorityMenu onChange={(priority) => void run({ priority })} disabled={busy} />
      <LabelsMenu onAdd={(name) => void run({ addLabels: [name] })} onRemove={(name) => void run({ removeLabels: [name] })} disabled={busy} />
      <SnoozeMenu onSnooze={(at) => void run({ status: "snoozed", snoozedUntil: at.toISOString() })} disabled={busy} />
      <button type="button" className="button-link" onClick={() => onDone()} data-testid="bulk-clear">
        Clear
      </button>
      {error && (
        <p className="text-danger bulk-error" role="alert" data-testid="bulk-error">
          {error}
        </p>
      )}
    </div>
  );
}
