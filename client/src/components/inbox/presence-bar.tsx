import type { Person } from "../../live/presence";
import { Avatar } from "../avatar";

function names(people: Person[]): string {
  const n = people.map((p) => p.name);
  if (n.length <= 2) return n.join(" and ");
  return `${n.slice(0, 2).join(", ")} and ${n.length - 2} more`;
}

/** Collision: who else has this conversation open, and who is typing. */
export function PresenceBar({ viewers, typing }: { viewers: Person[]; typing: Person[] }) {
  if (viewers.length === 0 && typing.length === 0) return null;
  return (
    <div className="presence-bar" aria-live="polite" data-testid="presence">
      <span className="presence-avatars" aria-hidden="true">
        {viewers.slice(0, 4).map((p) => (
          <Avatar key={p.userId ?? p.name} name={p.name} size={22} />
        ))}
      </span>
      {typing.length > 0 ? (
        <span data-testid="presence-typing">
          <strong>{names(typing)}</strong> {typing.length === 1 ? "is" : "are"} typing…
        </span>
      ) : (
        <span data-testid="presence-viewing">
          <strong>{names(viewers)}</strong> {viewers.length === 1 ? "is" : "are"} also viewing
        </span>
      )}
    </div>
  );
}
