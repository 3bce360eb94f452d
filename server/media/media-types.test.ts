import { describe, expect, it } from "vitest";
import { baseType, contentDisposition, isInline, matchesAccept, parseRange, safeFileName, sniffImage } from "./media-types.js";

describe("media types", () => {
  it("reads a Content-Type's base type, refusing junk", () => {
    expect(baseType("Image/PNG; charset=binary")).toBe("image/png");
    expect(baseType("not a type")).toBeNull();
    expect(baseType(undefined)).toBeNull();
  });

  it("matches accept lists with wildcards", () => {
    expect(matchesAccept("image/png", ["image/*"])).toBe(true);
    expect(matchesAccept("application/pdf", ["image/*", "application/pdf"])).toBe(true);
    expect(matchesAccept("text/html", ["image/*", "text/plain"])).toBe(false);
  });

  it("shows images and video inline, never SVG or HTML", () => {
    expect(isInline("image/jpeg")).toBe(true);
    expect(isInline("video/mp4")).toBe(true);
    expect(isInline("image/svg+xml")).toBe(false);
    expect(isInline("text/html")).toBe(false);
    expect(isInline("application/pdf")).toBe(false);
  });

  it("recognises real images by their first bytes", () => {
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffImage(Buffer.from("\x89PNG\r\n\x1a\n", "latin1"))).toBe("image/png");
    expect(sniffImage(Buffer.from("GIF89a"))).toBe("image/gif");
    expect(sniffImage(Buffer.from("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffImage(Buffer.from("<svg xmlns="))).toBeNull();
  });

  it("makes file names safe for headers and disks", () => {
    expect(safeFileName("../../etc/passwd", null)).toBe("passwd");
    expect(safeFileName('a"b\r\n.pdf', "application/pdf")).toBe("ab.pdf");
    expect(safeFileName("", "image/jpeg", "photo")).toBe("photo.jpg");
    expect(contentDisposition("façade.pdf", false)).toBe(`attachment; filename="fa_ade.pdf"; filename*=UTF-8''fa%C3%A7ade.pdf`);
  });

  it("parses byte ranges for video and audio seeking", () => {
    expect(parseRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=0-5000", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange("bytes=1000-", 1000)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,5-6", 1000)).toBeNull();
    expect(parseRange(undefined, 1000)).toBeNull();
  });
});
