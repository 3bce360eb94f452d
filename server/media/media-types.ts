/** Media types, limits and safe serving: pure helpers shared by uploads, fetches and the download route. */

export const MB = 1024 * 1024;

export const imageTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];
export const videoTypes = ["video/mp4", "video/quicktime", "video/webm", "video/3gpp"];
export const audioTypes = ["audio/mpeg", "audio/mp4", "audio/aac", "audio/ogg", "audio/amr", "audio/wav", "audio/webm"];
export const documentTypes = [
  "application/pdf",
  "text/plain",
  "text/csv",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/zip",
];

/** What an agent may upload at all (each platform then narrows it): no HTML, SVG or scripts. */
export const uploadTypes = [...imageTypes, ...videoTypes, ...audioTypes, ...documentTypes];

/** Shown in the page (img, video): types a browser renders without running anything. Everything else downloads. */
const inlineTypes = new Set([...imageTypes, "image/avif", "image/bmp", "video/mp4", "video/webm", "video/ogg", "video/quicktime"]);
export const isInline = (mimeType: string) => inlineTypes.has(mimeType);

/** A Content-Type without parameters, lower case; null when it is not a type at all. */
export function baseType(contentType: string | null | undefined): string | null {
  const t = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(t) ? t : null;
}

/** image/png against ["image/*", "application/pdf"]. */
export function matchesAccept(mimeType: string, accept: readonly string[]): boolean {
  return accept.some((a) => a === mimeType || (a.endsWith("/*") && mimeType.startsWith(a.slice(0, -1))));
}

/** What kind of attachment a MIME type is, in the vocabulary of Attachment.type. */
export function kindOf(mimeType: string): "image" | "video" | "audio" | "file" {
  if (mimeType.startsWith("image/")) return "image";
  if (mimeType.startsWith("video/")) return "video";
  if (mimeType.startsWith("audio/")) return "audio";
  return "file";
}

/** The image format the bytes really are (by their magic number), or null. */
export function sniffImage(head: Uint8Array): string | null {
  const b = (i: number) => head[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "image/jpeg";
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return "image/png";
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x38) return "image/gif";
  if (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57 && b(9) === 0x45 && b(10) === 0x42 && b(11) === 0x50) return "image/webp";
  return null;
}

const extensions: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "video/mp4": "mp4",
  "video/quicktime": "mov",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/ogg": "ogg",
  "application/pdf": "pdf",
  "text/plain": "txt",
};

/** A file name fit for a header and a disk: no path, no control characters, bounded; a default from the type. */
export function safeFileName(name: string | null | undefined, mimeType: string | null, fallback = "file"): string {
  const cleaned = (name ?? "")
    .split(/[/\\]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f"]/g, "")
    .trim()
    .slice(0, 200);
  if (cleaned && cleaned !== "." && cleaned !== "..") return cleaned;
  const ext = mimeType ? extensions[mimeType] : undefined;
  return ext ? `${fallback}.${ext}` : fallback;
}

/** Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(name: string, inline: boolean): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/[\\"]/g, "_");
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Parses a single `bytes=` range against a size; null for none or a form we do not serve (then the whole file). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(size - suffix, 0);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

export const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;
