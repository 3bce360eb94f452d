import { conversationStatuses, type ConversationStatus } from "../../../../shared/schemas/index.js";
import type { InboxFilter } from "../../inbox/conversation-filter";

const statusLabels: Record<ConversationStatus, string> = {
  open: "Open",
  pending: "Pending",
  snoozed: "Snoozed",
  resolved: "Resolved",
};

interface Props {
  filter: InboxFilter;
  onChange: (filter: InboxFilter) => void;
  listId: string;
}

export function ConversationFilters({ filter, onChange, listId }: Props) {
  return (
    <div className="conversation-filters">
      <div role="tablist" aria-label="Conversation status" className="status-tabs">
        {conversationStatuses.map((status) => (
          <button
            key={status}
            type="button"
            role="tab"
            aria-selected={filter.status === status}
            aria-controls={listId}
            className="tab"
            data-testid={`tab-${status}`}
            onClick={() => onChange({ ...filter, status })}
          >
            {statusLabels[status]}
          </button>
        ))}
      </div>
      <div className="filter-row">
        <label>
          Owner{" "}
          <select
            value={filter.owner}
            data-testid="owner-filter"
            onChange={(e) => onChange({ ...filter, owner: e.target.value as InboxFilter["owner"] })}
          >
            <option value="all">All</option>
            <option value="bot">Bot</option>
            <option value="human">Human</option>
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filter.mine}
            data-testid="mine-toggle"
            onChange={(e) => onChange({ ...filter, mine: e.target.checked })}
          />{" "}
          Mine
        </label>
      </div>
    </div>
  );
}
