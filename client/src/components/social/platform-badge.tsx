import type { Platform } from "../../../../shared/schemas/index.js";
import { kindLabels, platformInfo, type ConversationKind } from "../../social/platforms";

/** The platform's mark and name, e.g. [f] Facebook. `compact` shows the mark only (name as tooltip). */
export function PlatformBadge({ platform, compact = false }: { platform: Platform; compact?: boolean }) {
  const info = platformInfo[platform] ?? { label: platform, mark: "?", color: "#4b5563" };
  return (
    <span className="platform-badge" data-testid="platform" data-platform={platform} title={compact ? info.label : undefined}>
      <span className="platform-mark" style={{ background: info.color }} aria-hidden="true">
        {info.mark}
      </span>
      <span className={compact ? "visually-hidden" : "platform-name"}>{info.label}</span>
    </span>
  );
}

export function KindBadge({ kind }: { kind: ConversationKind }) {
  return (
    <span className={`badge kind-badge kind-${kind}`} data-testid="kind" data-kind={kind}>
      {kindLabels[kind] ?? kind}
    </span>
  );
}
