import { describe, expect, it } from "vitest";
import { containsPattern, prefixTsquery, searchWords } from "./text-search.js";

describe("search box text", () => {
  it("keeps only letters and digits, lower-cased, at most eight words", () => {
    expect(searchWords("  Refund?! for order #123-B ")).toEqual(["refund", "for", "order", "123", "b"]);
    expect(searchWords("a b c d e f g h i j")).toHaveLength(8);
    expect(searchWords("Ångström Zoë")).toEqual(["ångström", "zoë"]);
  });

  it("asks for every word, completing only the last one as it is typed", () => {
    expect(prefixTsquery("refu")).toBe("refu:*");
    expect(prefixTsquery("broken invo")).toBe("broken & invo:*");
    expect(prefixTsquery("it's & | ! broken")).toBe("it & s & broken:*");
    expect(prefixTsquery(" ?! ")).toBeNull();
  });

  it("takes the user's own wildcards literally in a name search", () => {
    expect(containsPattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
  });
});
