import { describe, expect, it } from "vitest";
import { cleanDeep, cleanText, jsonHasUnstorableEscapes, jsonTooDeep, logSafeMessage, sanitizeReason } from "./hostile-input.js";

describe("hostile input helpers", () => {
  it("measures JSON nesting on the bytes, ignoring brackets in strings", () => {
    expect(jsonTooDeep("[".repeat(65) + "]".repeat(65))).toBe(true);
    expect(jsonTooDeep("[".repeat(64) + "]".repeat(64))).toBe(false);
    expect(jsonTooDeep(`{"a":"${"[".repeat(500)}"}`)).toBe(false);
    expect(jsonTooDeep(`{"a":"\\"${"{".repeat(500)}"}`)).toBe(false);
  });
  it("finds escapes PostgreSQL refuses, not escaped backslashes", () => {
    const has = (s: string) => jsonHasUnstorableEscapes(Buffer.from(s));
    expect(has('{"t":"a\\u0000b"}')).toBe(true);
    expect(has('{"t":"\\ud800"}')).toBe(true);
    expect(has('{"t":"\\udc00x"}')).toBe(true);
    expect(has('{"t":"\\ud83d\\ude42"}')).toBe(false); // a real pair: 🙂
    expect(has('{"t":"\\\\u0000"}')).toBe(false); // a backslash, then the text u0000
    expect(has('{"t":"\\u00e9"}')).toBe(false);
  });
  it("cleans text and nested values without recursion", () => {
    expect(cleanText("a\u0000b\ud800c")).toBe("ab\ufffdc");
    expect(cleanText("🙂")).toBe("🙂");
    expect(cleanDeep({ "k\u0000": ["x\u0000", { y: "\udfff" }], n: 1 })).toEqual({ k: ["x", { y: "\ufffd" }], n: 1 });
  });
  it("makes reasons safe to show and to log", () => {
    expect(sanitizeReason("<b>bad</b>\n\u0007 gateway")).toBe("bbad/b gateway");
    expect(sanitizeReason("x".repeat(400), 10)).toHaveLength(10);
    expect(logSafeMessage('invalid input syntax for type uuid: "customer secret text"')).toBe('invalid input syntax for type uuid: "…"');
  });
});
