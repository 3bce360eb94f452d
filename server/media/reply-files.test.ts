import { describe, expect, it } from "vitest";
import type { AttachmentRules } from "../connectors/types.js";
import { MB } from "./media-types.js";
import { checkReplyFiles } from "./reply-files.js";

const whatsapp: AttachmentRules = {
  rules: [
    { accept: ["image/jpeg", "image/png"], maxBytes: 5 * MB, label: "JPEG or PNG images" },
    { accept: ["application/pdf"], maxBytes: 25 * MB, label: "PDF documents" },
  ],
  maxCount: 2,
};
const file = (mimeType: string, size: number, name = "f") => ({ name, mimeType, size });
const codeOf = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe("a reply's files against the platform's rules", () => {
  it("accepts files within every rule, and no files anywhere", () => {
    expect(codeOf(() => checkReplyFiles([file("image/png", MB), file("application/pdf", 20 * MB)], whatsapp, "WhatsApp"))).toBeNull();
    expect(codeOf(() => checkReplyFiles([], null, "X"))).toBeNull();
  });

  it("refuses with a code for each case, the size judged by the file's own rule", () => {
    expect(codeOf(() => checkReplyFiles([file("image/png", MB)], null, "X"))).toBe("attachments_not_allowed");
    expect(codeOf(() => checkReplyFiles([file("image/png", 1), file("image/png", 1), file("image/png", 1)], whatsapp, "WhatsApp"))).toBe("too_many_attachments");
    expect(codeOf(() => checkReplyFiles([file("video/mp4", MB)], whatsapp, "WhatsApp"))).toBe("attachment_type_not_allowed");
    expect(codeOf(() => checkReplyFiles([file("image/jpeg", 6 * MB)], whatsapp, "WhatsApp"))).toBe("attachment_too_large");
  });

  it("says what the platform takes", () => {
    expect(() => checkReplyFiles([file("image/jpeg", 6 * MB, "big.jpg")], whatsapp, "WhatsApp")).toThrow("big.jpg is 6 MB; WhatsApp takes JPEG or PNG images up to 5 MB");
  });
});
