import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { hashPassword } from "../server/auth/passwords.js";
import { channels, inboundEvents, users, workspaces } from "../server/db/schema.js";
import { ingestBatcher } from "../server/pipeline/ingest-batch.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson } from "./helpers/people.js";
import { JPEG, PNG } from "./fakes/media-files.js";
import { startGoogleFake, type GoogleFake } from "./fakes/google-fake.js";
import { startXFake, type XFake } from "./fakes/x-fake.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/platforms/${name}`, import.meta.url), "utf8");
const BRAND = "1500000000000000001";
const SECRET = "avatar-test-consumer-secret";
const X_TOKEN = "x-user-token-avatars";
const G_TOKEN = "gbp-access-token-avatars";
const LOCATION_NAME = "accounts/112233445566778899001/locations/9876543210123456789";
const AVATAR_PATH = /^\/api\/contacts\/[0-9a-f-]{36}\/avatar\?v=[0-9a-f]{12}$/;

type Sender = { id: string; name: string; screenName?: string; picture?: string };
let dmSeq = 1_900_000_000_000_700_000n;
const nextDmId = () => String(dmSeq++);

/** A customer's profile picture shows in the console, through Parley, with the @handle beside it (issue 8). */
describe("contact avatars and platform handles", () => {
  let p: TestParley;
  let admin: ApiClient;
  let x: XFake;
  let google: GoogleFake;
  let xChannel: string;
  let gChannel: string;
  let gHook: string;

  beforeAll(async () => {
    google = await startGoogleFake({ accessToken: G_TOKEN });
    p = await startTestParley({ env: { GOOGLE_CERTS_URL: google.certsUrl, GOOGLE_BUSINESS_URL: google.url } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    x = await startXFake({ consumerSecret: SECRET, userId: BRAND, accessToken: X_TOKEN, webhookUrl: `${p.url}/webhooks/x` });
    p.usePlatforms({ X_API_URL: x.url });
    const xRes = await admin.post("/api/channels", { platform: "x", name: "Acme on X", config: { userId: BRAND, consumerSecret: SECRET, accessToken: X_TOKEN } });
    expect(xRes.status).toBe(201);
    xChannel = xRes.body.id;
    const gRes = await admin.post("/api/channels", {
      platform: "google_reviews",
      name: "Downtown store",
      config: { accountId: "112233445566778899001", locationId: "9876543210123456789", accessToken: G_TOKEN },
    });
    expect(gRes.status).toBe(201);
    gChannel = gRes.body.id;
    gHook = `${p.url}/webhooks/google/${gChannel}/${gRes.body.generated.webhookToken}`;
  });
  afterAll(async () => {
    await p?.stop();
    await x?.close();
    await google?.close();
  });

  /** Sends a DM through X's signed webhook and waits until it is stored; returns its contact's id. */
  async function sendDm(from: Sender, text: string): Promise<string> {
    const id = nextDmId();
    expect((await x.deliver(x.dm(from, text, id))).status).toBe(200);
    return waitFor(async () => {
      const items = (await admin.get(`/api/conversations?channelId=${xChannel}&limit=100`)).body.items as any[];
      for (const c of items) {
        const messages = (await admin.get(`/api/conversations/${c.id}/messages`)).body.items as any[];
        if (messages.some((m) => m.externalId === id)) return c.contact.id as string;
      }
      return undefined;
    }, `DM ${id} stored`);
  }
  const contactOf = async (id: string, who = admin) => (await who.get(`/api/contacts/${id}`)).body.contact;
  const picture = (path: string, who: ApiClient | null = admin) => fetch(`${p.url}${path}`, { headers: who ? { cookie: who.cookie } : {} });

  let ana: string; // the X customer "Ana Souza"

  it("an X DM shows the sender's @handle and profile picture, served from Parley's origin", async () => {
    const source = x.addMedia("profile/ana-1.png", PNG, "image/png");
    ana = await sendDm({ id: "1500000000000000501", name: "Ana Souza", screenName: "ana_souza_x", picture: source }, "Where is my refund?");
    const contact = await contactOf(ana);
    expect(contact.identities).toEqual([expect.objectContaining({ platform: "x", externalId: "1500000000000000501", handle: "@ana_souza_x" })]);
    expect(contact.avatarUrl).toMatch(AVATAR_PATH);
    expect(contact.avatarUrl.startsWith(`/api/contacts/${ana}/avatar`)).toBe(true);

    const res = await picture(contact.avatarUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);

    // The inbox row and search results show the same picture; the platform's URL reaches no browser.
    const list = (await admin.get(`/api/conversations?channelId=${xChannel}`)).body;
    expect(list.items.find((c: any) => c.contact.id === ana).contact.avatarUrl).toBe(contact.avatarUrl);
    const found = (await admin.get("/api/search?q=Ana")).body;
    expect(found.contacts.find((c: any) => c.id === ana).avatarUrl).toBe(contact.avatarUrl);
    for (const body of [list, found, (await admin.get(`/api/contacts/${ana}`)).body]) expect(JSON.stringify(body)).not.toContain(x.url);
  });

  it("a later DM with a new picture or @name replaces them; one without keeps what is known", async () => {
    const before = (await contactOf(ana)).avatarUrl;
    const source = x.addMedia("profile/ana-2.jpg", JPEG, "image/jpeg");
    await sendDm({ id: "1500000000000000501", name: "Ana Souza", screenName: "ana_s", picture: source }, "Any news?");
    const changed = await contactOf(ana);
    expect(changed.identities[0].handle).toBe("@ana_s");
    expect(changed.avatarUrl).toMatch(AVATAR_PATH);
    expect(changed.avatarUrl).not.toBe(before); // a new version: the browser does not show the cached old one
    const res = await picture(changed.avatarUrl);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await res.arrayBuffer()).equals(JPEG)).toBe(true);

    await sendDm({ id: "1500000000000000501", name: "Ana Souza", screenName: "ana_s" }, "Hello?");
    const kept = await contactOf(ana);
    expect(kept.avatarUrl).toBe(changed.avatarUrl);
    expect(kept.identities[0].handle).toBe("@ana_s");
  });

  it("a picture that is not a raster image is a 404, and one not at a web address is never stored", async () => {
    const html = await sendDm({ id: "1500000000000000502", name: "Page Person", picture: x.addMedia("profile/page.html", Buffer.from("<html>not a picture</html>"), "text/html") }, "hi");
    const res = await picture((await contactOf(html)).avatarUrl);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("<html>");

    const svg = await sendDm(
      { id: "1500000000000000503", name: "Vector Person", picture: x.addMedia("profile/evil.svg", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "image/svg+xml") },
      "hi",
    );
    expect((await picture((await contactOf(svg)).avatarUrl)).status).toBe(404);

    const script = await sendDm({ id: "1500000000000000504", name: "Script Person", screenName: "script_person", picture: "javascript:alert(1)" }, "hi");
    const scripted = await contactOf(script);
    expect(scripted.avatarUrl).toBeNull();
    expect(scripted.identities[0].handle).toBe("@script_person"); // the rest of the delivery is kept
    expect((await picture(`/api/contacts/${script}/avatar`)).status).toBe(404);
  });

  let reviewer: string; // the Google reviewer, also "Ana Souza"

  it("a Google review shows the reviewer's photo; an updated review with a new photo changes it", async () => {
    const review = JSON.parse(fixture("gbp-review.json"));
    const name = `${LOCATION_NAME}/reviews/AvatarReview0001`;
    google.setReview({ ...review, name, reviewId: "AvatarReview0001", reviewer: { displayName: "Ana Souza", profilePhotoUrl: google.addPhoto("ana.png", PNG, "image/png"), isAnonymous: false } });
    expect(await google.push(gHook, google.envelope({ notificationType: "NEW_REVIEW", locationName: LOCATION_NAME, reviewName: name }))).toEqual([200]);
    const conv = await waitFor(async () => ((await admin.get(`/api/conversations?channelId=${gChannel}`)).body.items as any[]).find((c) => c.contact.name === "Ana Souza"), "review");
    reviewer = conv.contact.id;
    const contact = await contactOf(reviewer);
    expect(contact.identities[0].handle).toBeNull(); // Google gives reviewers no handle
    expect(conv.contact.avatarUrl).toBe(contact.avatarUrl);
    const res = await picture(contact.avatarUrl);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);

    // Two customers called Ana Souza no longer look the same: different pictures, one with an @handle.
    expect(reviewer).not.toBe(ana);
    expect(contact.avatarUrl).not.toBe((await contactOf(ana)).avatarUrl);

    const updateTime = new Date().toISOString();
    google.setReview({ ...review, name, reviewId: "AvatarReview0001", updateTime, reviewer: { displayName: "Ana Souza", profilePhotoUrl: google.addPhoto("ana-new.jpg", JPEG, "image/jpeg"), isAnonymous: false } });
    expect(await google.push(gHook, google.envelope({ notificationType: "UPDATED_REVIEW", locationName: LOCATION_NAME, reviewName: name }))).toEqual([200]);
    const updated = await waitFor(async () => {
      const c = await contactOf(reviewer);
      return c.avatarUrl !== contact.avatarUrl && c;
    }, "the new photo");
    const again = await picture(updated.avatarUrl);
    expect(again.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await again.arrayBuffer()).equals(JPEG)).toBe(true);
  });

  it("only those who may see the contact get its picture: anonymous 401, another team's agent and another workspace 404", async () => {
    const path = (await contactOf(ana)).avatarUrl;
    expect((await picture(path, null)).status).toBe(401);
    const team = await admin.post("/api/teams", { name: "X team", channelIds: [xChannel] });
    expect(team.status).toBe(201);
    const outsider = await addPerson(admin, "Avatar Outsider");
    expect((await picture(path, outsider.client)).status).toBe(404);
    const [ws] = await p.ctx.db.insert(workspaces).values({ name: "Elsewhere" }).returning();
    await p.ctx.db.insert(users).values({ workspaceId: ws!.id, email: "elsewhere@test.local", name: "Elsewhere", role: "admin", passwordHash: await hashPassword("elsewhere-password-1") });
    const other = await ApiClient.login(p.url, "elsewhere@test.local", "elsewhere-password-1");
    expect((await picture(path, other)).status).toBe(404);
    expect((await picture(path)).status).toBe(200);
  });

  it("deliveries ingested together (set-based) store handles and pictures the same way", async () => {
    const [row] = await p.ctx.db.select({ workspaceId: channels.workspaceId }).from(channels).where(eq(channels.id, xChannel));
    const anaPicture = x.addMedia("profile/ana-3.png", PNG, "image/png");
    const boPicture = x.addMedia("profile/bo.jpg", JPEG, "image/jpeg");
    const before = (await contactOf(ana)).avatarUrl;
    const batch = [
      { id: "1500000000000000501", name: "Ana Souza", screenName: "ana_batch", picture: anaPicture, text: "batch: from Ana" },
      { id: "1500000000000000601", name: "Bo Batch", screenName: "bo_batch", picture: boPicture, text: "batch: Bo's first" },
      { id: "1500000000000000601", name: "Bo Batch", screenName: "bo_batch", text: "batch: Bo again, no picture" },
    ].map(({ text, ...from }) => ({ id: nextDmId(), from, text })).map((d) => ({ ...d, body: x.dm(d.from, d.text, d.id) }));
    const rows = await p.ctx.db
      .insert(inboundEvents)
      .values(batch.map((b) => ({ workspaceId: row!.workspaceId, channelId: xChannel, platform: "x" as const, externalEventId: `avatar-batch:${b.id}`, payload: b.body })))
      .returning({ id: inboundEvents.id });
    const batcher = ingestBatcher(p.ctx);
    await Promise.all(rows.map((r) => batcher.submit(r.id, false))); // the same tick: one claim, one set
    await waitFor(
      async () => {
        const done = await p.ctx.db
          .select({ status: inboundEvents.status })
          .from(inboundEvents)
          .where(and(eq(inboundEvents.channelId, xChannel), inArray(inboundEvents.id, rows.map((r) => r.id))));
        return done.every((d) => d.status === "processed");
      },
      "the batch ingested",
    );

    const anaNow = await contactOf(ana);
    expect(anaNow.identities[0].handle).toBe("@ana_batch");
    expect(anaNow.avatarUrl).not.toBe(before);
    expect(Buffer.from(await (await picture(anaNow.avatarUrl)).arrayBuffer()).equals(PNG)).toBe(true);

    const bo = (await admin.get("/api/contacts?q=Bo Batch")).body.items as any[];
    expect(bo).toHaveLength(1);
    expect(bo[0].identities[0].handle).toBe("@bo_batch");
    const boPic = await picture(bo[0].avatarUrl);
    expect(boPic.headers.get("content-type")).toBe("image/jpeg"); // the later delivery without a picture kept it
    expect(Buffer.from(await boPic.arrayBuffer()).equals(JPEG)).toBe(true);
  });

  it("merging keeps every identity's handle, and the picture fills a contact that had none", async () => {
    const script = ((await admin.get("/api/contacts?q=Script Person")).body.items as any[])[0];
    expect(script.avatarUrl).toBeNull();
    const merged = await admin.post(`/api/contacts/${script.id}/merge`, { otherId: reviewer });
    expect(merged.status).toBe(200);
    const contact = merged.body.contact;
    expect(contact.identities.map((i: any) => [i.platform, i.handle])).toEqual([
      ["x", "@script_person"],
      ["google_reviews", null],
    ]);
    expect(contact.avatarUrl).toMatch(AVATAR_PATH);
    const res = await picture(contact.avatarUrl);
    expect(res.headers.get("content-type")).toBe("image/jpeg"); // the reviewer's latest photo
    expect(Buffer.from(await res.arrayBuffer()).equals(JPEG)).toBe(true);
  });
});

describe("contact avatars with the default address policy", () => {
  let p: TestParley;
  let x: XFake;

  beforeAll(async () => {
    p = await startTestParley({ env: { ALLOW_PRIVATE_TARGETS: "0" } });
    x = await startXFake({ consumerSecret: SECRET, userId: BRAND, accessToken: X_TOKEN, webhookUrl: `${p.url}/webhooks/x` });
  });
  afterAll(async () => {
    await p?.stop();
    await x?.close();
  });

  it("a picture at a private address is never fetched: 404", async () => {
    const admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    const res = await admin.post("/api/channels", { platform: "x", name: "Strict X", config: { userId: BRAND, consumerSecret: SECRET, accessToken: X_TOKEN } });
    expect(res.status).toBe(201);
    x.addMedia("profile/local.png", PNG, "image/png");
    expect((await x.deliver(x.dm({ id: "1500000000000000701", name: "Local Picture", picture: `${x.url}/media/profile/local.png` }, "hello"))).status).toBe(200);
    const conv = await waitFor(async () => ((await admin.get("/api/conversations")).body.items as any[]).find((c) => c.contact.name === "Local Picture"), "conversation");
    expect(conv.contact.avatarUrl).toMatch(AVATAR_PATH);
    const picture = await fetch(`${p.url}${conv.contact.avatarUrl}`, { headers: { cookie: admin.cookie } });
    expect(picture.status).toBe(404);
  });
});
