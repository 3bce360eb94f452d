import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachments } from "../server/db/schema.js";
import { sweep } from "../server/pipeline/sweeper.js";
import { waitFor } from "./helpers/parley.js";
import { upload } from "./helpers/uploads.js";
import { allMessages, startMetaEnv, waitForMessage, PAGE_ID, type MetaEnv } from "./fakes/meta-test-setup.js";
import { JPEG, PDF } from "./fakes/media-files.js";

/** The sweeper's media duties: fetches whose job was lost (the embedded queue forgets them on restart), and unsent uploads. */
describe("sweeper: lost file fetches and forgotten uploads", () => {
  let env: MetaEnv;
  beforeAll(async () => {
    env = await startMetaEnv();
  });
  afterAll(() => env?.stop());

  it("a file still pending long after ingest (its job lost) is fetched again", async () => {
    const url = env.fake.addMedia("late.jpg", JPEG, "image/jpeg");
    await env.fake.sendWebhook({
      object: "page",
      entry: [{ id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: "6100000000000901" }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid: "m_sweep_1", text: "hi" } }] }],
    });
    const m = await waitForMessage(env.admin, env.fb.id, "m_sweep_1");
    // As ingest records a file, but with no job behind it (a restart took it), two minutes ago.
    const [row] = await env.p.ctx.db
      .insert(attachments)
      .values({
        workspaceId: (await env.admin.get("/api/me")).body.workspace.id,
        conversationId: m.conversation.id,
        messageId: m.id,
        channelId: env.fb.id,
        origin: "inbound",
        type: "image",
        status: "pending",
        source: { url },
        createdAt: new Date(Date.now() - 120_000),
      })
      .returning();
    expect((await sweep(env.p.ctx)).media).toBeGreaterThanOrEqual(1);
    await waitFor(async () => {
      const [a] = (await env.p.ctx.db.select().from(attachments)).filter((x) => x.id === row!.id);
      return a?.status === "stored";
    }, "fetched by the sweeper");
    const res = await fetch(`${env.p.url}/api/attachments/${row!.id}`, { headers: { cookie: env.admin.cookie } });
    expect(Buffer.from(await res.arrayBuffer()).equals(JPEG)).toBe(true);
  });

  it("an upload never sent is deleted after a day; a sent one stays", async () => {
    const unsent = (await upload(env.admin, PDF, "application/pdf", "forgotten.pdf")).body.upload;
    const sent = (await upload(env.admin, PDF, "application/pdf", "kept.pdf")).body.upload;
    const conv = (await allMessages(env.admin, env.fb.id))[0].conversation;
    expect((await env.admin.post(`/api/conversations/${conv.id}/messages`, { text: "kept", visibility: "note", attachmentIds: [sent.id] })).status).toBe(201);
    env.p.clock.advance(25 * 3600_000);
    await sweep(env.p.ctx);
    const get = (id: string) => fetch(`${env.p.url}/api/attachments/${id}`, { headers: { cookie: env.admin.cookie } });
    expect((await get(unsent.id)).status).toBe(404);
    expect((await get(sent.id)).status).toBe(200);
    expect(await env.p.ctx.storage.size(`${(await env.admin.get("/api/me")).body.workspace.id}/${unsent.id}`)).toBeNull();
  });
});
