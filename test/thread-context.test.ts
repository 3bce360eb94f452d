import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IG_ID, PAGE_ID, startMetaEnv, waitForMessage, type MetaEnv } from "./fakes/meta-test-setup.js";
import { PNG } from "./fakes/media-files.js";
import { addPerson } from "./helpers/people.js";

const MEDIA = "18000000000000101"; // the media of the instagram-comment.json fixture
const FB_POST = `${PAGE_ID}_122100000000000077`; // the post of facebook-feed-comment-add.json

/** A comment's conversation shows the post it is on (text, link, picture), not "On the post: 18000000000000101". */
describe("thread context: the post or media a comment belongs to", () => {
  let env: MetaEnv;
  beforeAll(async () => {
    env = await startMetaEnv();
  });
  afterAll(() => env?.stop());

  const contextOf = async (conversationId: string) => (await env.admin.get(`/api/conversations/${conversationId}`)).body.conversation.context;
  const graphReads = (id: string) => env.fake.requests.filter((r) => r.method === "GET" && r.path === `/${id}`);

  it("an Instagram comment names its media only by id: Parley reads the caption, link and picture from the Graph API", async () => {
    env.fake.setPost(MEDIA, {
      caption: "Our blue jacket is back 💙",
      permalink: "https://www.instagram.com/p/FAKEblue1/",
      media_type: "IMAGE",
      media_url: "https://scontent.example-cdn.net/fake_blue.jpg",
      username: "acme.store",
    });
    await env.fake.sendFixture("instagram-comment.json");
    const comment = await waitForMessage(env.admin, env.ig.id, "18000000000000999");
    expect(await contextOf(comment.conversation.id)).toMatchObject({
      mediaId: MEDIA,
      postText: "Our blue jacket is back 💙",
      postUrl: "https://www.instagram.com/p/FAKEblue1/",
      thumbnailUrl: "https://scontent.example-cdn.net/fake_blue.jpg",
      postAuthor: "acme.store",
    });
    const [read] = graphReads(MEDIA);
    expect(read!.query.fields).toBe("caption,permalink,media_type,media_url,thumbnail_url,username");
    expect(read!.account).toBe(IG_ID);
  });

  it("another comment on the same media costs no second Graph call", async () => {
    await env.fake.sendWebhook({
      object: "instagram",
      entry: [{ id: IG_ID, time: Date.now(), changes: [{ field: "comments", value: { id: "18000000000001001", text: "size?", from: { id: "1790000000000044", username: "other.fan" }, media: { id: MEDIA } } }] }],
    });
    const second = await waitForMessage(env.admin, env.ig.id, "18000000000001001");
    expect((await contextOf(second.conversation.id)).postText).toBe("Our blue jacket is back 💙");
    expect(graphReads(MEDIA)).toHaveLength(1);
  });

  it("a Facebook comment gets its post's text and picture; the webhook's own permalink is kept", async () => {
    env.fake.setPost(FB_POST, {
      message: "New in: the blue one, sizes S to XL.",
      permalink_url: "https://www.facebook.com/108000000000001/posts/from-the-graph-api",
      full_picture: "https://scontent.example-cdn.net/fake_post.jpg",
      from: { name: "Acme Store", id: PAGE_ID },
    });
    await env.fake.sendFixture("facebook-feed-comment-add.json");
    const comment = await waitForMessage(env.admin, env.fb.id, "122100000000000077_1200000000000555");
    expect(await contextOf(comment.conversation.id)).toMatchObject({
      postId: FB_POST,
      postText: "New in: the blue one, sizes S to XL.",
      postUrl: "https://www.facebook.com/108000000000001/posts/pfbid0FakePermalink",
      thumbnailUrl: "https://scontent.example-cdn.net/fake_post.jpg",
      postAuthor: "Acme Store",
    });
    expect(graphReads(FB_POST)[0]!.query.fields).toBe("message,permalink_url,full_picture,from");
  });

  it("serves the post's picture from Parley's own origin, to those who may see the conversation, and never an SVG", async () => {
    const url = env.fake.addMedia("posts/blue.png", PNG, "image/png");
    env.fake.setPost("18000000000000202", { caption: "With a picture", permalink: "https://www.instagram.com/p/FAKEpic/", media_type: "IMAGE", media_url: url });
    await env.fake.sendWebhook({
      object: "instagram",
      entry: [{ id: IG_ID, time: Date.now(), changes: [{ field: "comments", value: { id: "18000000000001003", text: "love it", from: { id: "1790000000000046", username: "pic.fan" }, media: { id: "18000000000000202" } } }] }],
    });
    const comment = await waitForMessage(env.admin, env.ig.id, "18000000000001003");
    const picture = (who = env.admin) => fetch(`${env.p.url}/api/conversations/${comment.conversation.id}/context-picture`, { headers: { cookie: who.cookie } });
    const res = await picture();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);

    // Another team's agent may not see the conversation, so not its picture either.
    const team = await env.admin.post("/api/teams", { name: "Instagram team", channelIds: [env.ig.id] });
    expect(team.status).toBe(201);
    const outsider = await addPerson(env.admin, "Outsider");
    expect((await picture(outsider.client)).status).toBe(404);
    expect((await fetch(`${env.p.url}/api/conversations/${comment.conversation.id}/context-picture`)).status).toBe(401);

    // A picture the platform serves as SVG (it could carry script) is not passed on.
    const svg = env.fake.addMedia("posts/evil.svg", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "image/svg+xml");
    env.fake.setPost("18000000000000303", { caption: "Vector", permalink: "https://www.instagram.com/p/FAKEsvg/", media_type: "IMAGE", media_url: svg });
    await env.fake.sendWebhook({
      object: "instagram",
      entry: [{ id: IG_ID, time: Date.now(), changes: [{ field: "comments", value: { id: "18000000000001004", text: "hm", from: { id: "1790000000000047", username: "svg.fan" }, media: { id: "18000000000000303" } } }] }],
    });
    const other = await waitForMessage(env.admin, env.ig.id, "18000000000001004");
    const refused = await fetch(`${env.p.url}/api/conversations/${other.conversation.id}/context-picture`, { headers: { cookie: env.admin.cookie } });
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain("<svg");
  });

  it("when the platform refuses the look-up, the comment still arrives and nothing of the refusal is stored", async () => {
    await env.fake.sendWebhook({
      object: "instagram",
      entry: [{ id: IG_ID, time: Date.now(), changes: [{ field: "comments", value: { id: "18000000000001002", text: "hello?", from: { id: "1790000000000045", username: "third.fan" }, media: { id: "18000000000000404" } } }] }],
    });
    const comment = await waitForMessage(env.admin, env.ig.id, "18000000000001002");
    const context = await contextOf(comment.conversation.id);
    expect(context.mediaId).toBe("18000000000000404");
    expect(context.postText).toBeUndefined();
    expect(JSON.stringify(context)).not.toMatch(/does not exist|Unsupported/);
    expect(graphReads("18000000000000404")).toHaveLength(1);
    expect((await fetch(`${env.p.url}/api/conversations/${comment.conversation.id}/context-picture`, { headers: { cookie: env.admin.cookie } })).status).toBe(404);
  });
});
