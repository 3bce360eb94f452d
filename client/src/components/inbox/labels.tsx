import type { Label } from "../../../../shared/schemas/index.js";
import { useLabels } from "../../hooks/queries";

/** Black or white text, whichever reads better on a label's colour. */
function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) return "#111";
  const n = parseInt(m[1]!, 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#111" : "#fff";
}

export function labelColour(labels: Label[] | null | undefined, name: string): string | null {
  return labels?.find((l) => l.name === name)?.color ?? null;
}

/** A conversation's labels as coloured chips (colours from GET /api/labels; grey when unknown). */
export function LabelChips({ names }: { names: string[] }) {
  const { data } = useLabels();
  if (!names.length) return null;
  return (
    <span className="label-chips" data-testid="labels">
      {names.map((name) => {
        const colour = labelColour(data, name);
        return (
          <span key={name} className="label-chip" data-testid="label-chip" style={colour ? { background: colour, color: textOn(colour), borderColor: colour } : undefined} dir="auto">
            {name}
          </span>
        );
      })}
    </span>
  );
}
