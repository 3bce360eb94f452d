import { useState } from "react";
import { safeUrl } from "../social/safe-url";

/** Up to two initials of a name ("Dana Scully" → "DS"), letters of any script. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.map((w) => [...w.replace(/^[^\p{L}\p{N}]+/u, "")][0] ?? "").filter(Boolean);
  const pick = letters.length > 1 ? letters[0]! + letters[letters.length - 1]! : (letters[0] ?? "?");
  return pick.toUpperCase();
}

/** A stable colour per name, from a small palette that keeps white initials readable. */
const palette = ["#4f46e5", "#0f766e", "#b45309", "#be185d", "#1d4ed8", "#7c3aed", "#047857", "#c2410c", "#4b5563"];
function colourFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return palette[h % palette.length]!;
}

/** A picture when there is a safe one, else initials on a colour. Decorative: the name is always beside it. */
export function Avatar({ name, url, size = 32 }: { name: string; url?: string | null; size?: number }) {
  const src = safeUrl(url) ?? (url?.startsWith("/api/") ? url : null);
  // The picture the platform withholds now (removed, expired, no longer an image) falls back to initials;
  // a new src (the picture changed) is tried again.
  const [failed, setFailed] = useState<string | null>(null);
  const style = { width: size, height: size, fontSize: Math.round(size * 0.4) };
  if (src && failed !== src) return <img className="avatar" src={src} alt="" style={style} loading="lazy" onError={() => setFailed(src)} />;
  return (
    <span className="avatar avatar-initials" style={{ ...style, background: colourFor(name) }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
