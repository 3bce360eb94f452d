import type { ReplyOptions } from "../../../../shared/schemas/index.js";

export type Surface = ReplyOptions["surfaces"][number];

const testIds: Record<Surface, string> = {
  reply: "composer-surface-public",
  private_reply: "composer-surface-private",
  template: "composer-surface-template",
};

export function surfaceName(surface: Surface, kind: string): string {
  if (surface === "private_reply") return "Private reply (DM)";
  if (surface === "template") return "Template";
  return kind === "dm" ? "Reply" : "Public reply";
}

interface Props {
  surfaces: Surface[];
  value: Surface;
  kind: string;
  onChange: (surface: Surface) => void;
}

/** Where a reply goes when the platform offers more than one way: public reply, private DM, template. */
export function SurfacePicker({ surfaces, value, kind, onChange }: Props) {
  return (
    <div className="surface-picker" role="radiogroup" aria-label="Reply as">
      {surfaces.map((s) => (
        <button
          key={s}
          type="button"
          role="radio"
          aria-checked={value === s}
          className="segment"
          onClick={() => onChange(s)}
          data-testid={testIds[s]}
        >
          {surfaceName(s, kind)}
        </button>
      ))}
    </div>
  );
}
