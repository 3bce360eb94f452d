import type { AttachmentRules } from "../connectors/types.js";
import { Conflict } from "../domain/scope.js";
import { matchesAccept, megabytes } from "./media-types.js";

type File = { name: string | null; mimeType: string | null; size: number | null };

/**
 * Checks a reply's files against what the platform takes on this conversation; refuses with the
 * reason and a code the console maps to its own words.
 */
export function checkReplyFiles(files: File[], rules: AttachmentRules | null | undefined, platform: string): void {
  if (files.length === 0) return;
  if (!rules) throw new Conflict(`${platform} does not take files on this reply`, "attachments_not_allowed");
  if (files.length > rules.maxCount) throw new Conflict(`${platform} takes at most ${rules.maxCount} file${rules.maxCount === 1 ? "" : "s"} per reply`, "too_many_attachments");
  for (const f of files) {
    const type = f.mimeType ?? "application/octet-stream";
    const rule = rules.rules.find((r) => matchesAccept(type, r.accept));
    const name = f.name ?? "the file";
    if (!rule) {
      const takes = rules.rules.map((r) => r.label).join(", ");
      throw new Conflict(`${platform} does not take ${name} (${type}) here; it takes ${takes}`, "attachment_type_not_allowed");
    }
    if ((f.size ?? 0) > rule.maxBytes) {
      throw new Conflict(`${name} is ${megabytes(f.size ?? 0)}; ${platform} takes ${rule.label} up to ${megabytes(rule.maxBytes)}`, "attachment_too_large");
    }
  }
}
