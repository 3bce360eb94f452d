import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LabelInput } from "../../../shared/schemas/index.js";
import { ApiError } from "../api";
import { Highlighted } from "../components/inbox/search-results";
import { describeError, fieldName, validateForm } from "./errors";

describe("errors as the agent reads them", () => {
  it("shows the friendly words for a code, with the server's detail only where it helps", () => {
    const refused = describeError(new ApiError("Facebook said: (#200) Permissions error", 502, [], "upstream_error"));
    expect(refused).toEqual({ title: "The platform refused or failed the request.", detail: "Facebook said: (#200) Permissions error", issues: [] });
    const invalid = describeError(new ApiError("Invalid body: text Too big: expected string to have <=4096 characters", 400, [{ path: "text", message: "too long" }], "validation_failed"));
    expect(invalid.title).toBe("Some fields are not valid. Check them and try again.");
    expect(invalid.detail).toBeNull(); // never the raw validation text
    expect(describeError(new ApiError("no such endpoint: GET /api/labels", 404, [], "not_found")).title).toBe("This server does not offer that yet.");
    // A code newer than this console: the server's own words.
    expect(describeError(new ApiError("seat limit reached", 409, [], "seats_full")).title).toBe("Seat limit reached");
  });

  it("names fields in words and checks forms with the shared schemas", () => {
    expect(fieldName("config.pageId")).toBe("Config page id");
    expect(() => validateForm(LabelInput, { name: "a,b", color: "red" })).toThrowError(ApiError);
    try {
      validateForm(LabelInput, { name: "a,b", color: "red" });
    } catch (err) {
      expect((err as ApiError).issues.map((i) => i.path).sort()).toEqual(["color", "name"]);
    }
    expect(validateForm(LabelInput, { name: " VIP ", color: "#1f6feb" })).toMatchObject({ name: "VIP" });
  });

  it("renders search snippets as text with <mark> from ranges, never as HTML", () => {
    const html = renderToStaticMarkup(createElement(Highlighted, { snippet: { text: "my <b>parcel</b> is late", highlights: [{ start: 6, length: 6 }, { start: 99, length: 3 }] } }));
    expect(html).toBe('<span dir="auto">my &lt;b&gt;<mark>parcel</mark>&lt;/b&gt; is late</span>');
  });
});
