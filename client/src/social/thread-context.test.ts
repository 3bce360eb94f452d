import { describe, expect, it } from "vitest";
import { readContext } from "./thread-context";

describe("readContext", () => {
  it("reads what the Graph look-up fills: text, link, author and whether there is a picture", () => {
    const ctx = readContext({
      mediaId: "18000000000000101",
      postText: "Our blue jacket is back",
      postUrl: "https://www.instagram.com/p/FAKEblue1/",
      postAuthor: "acme.store",
      thumbnailUrl: "https://scontent.example-cdn.net/fake_blue.jpg",
    });
    expect(ctx).toMatchObject({ postText: "Our blue jacket is back", postUrl: "https://www.instagram.com/p/FAKEblue1/", postAuthor: "acme.store", hasPicture: true });
  });

  it("keeps older contexts working (X's author) and ignores pictures that are no web address", () => {
    expect(readContext({ postId: "1", postText: "hi @brand", author: "riley" }).postAuthor).toBe("riley");
    expect(readContext({ mediaId: "1", thumbnailUrl: "javascript:alert(1)" }).hasPicture).toBe(false);
    expect(readContext({ mediaId: "1" })).toMatchObject({ postText: null, postUrl: null, hasPicture: false });
  });
});
