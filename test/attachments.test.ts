import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../server/auth/passwords.js";
import { users, workspaces } from "../server/db/schema.js";
import { startCallbackServer } from "./helpers/callback-server.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { MP4, PDF, PNG } from "./fakes/media-files.js";
import { upload } from "./helpers/uploads.js";

async function download(url: string, cookie = "", headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("attachments: uploads, replies with files, downloads", () => {
  let p: TestParley;
  let admin: ApiClient;
  let agent: ApiClient;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let conversationId: string;
  let other: ApiClient;

  beforeAll(async () => {
    p = await startTestParley();
    callback = await startCallbackServer();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    await admin.post("/api/users", { email: "agent@test.local", name: "Agent", role: "agent", password: "agent-password-1" });
    agent = await ApiClient.login(p.url, "agent@test.local", "agent-password-1");
    const channel = await createApiChannel(admin, { callbackUrl: callback.url, name: "Shop API" });
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("f-1", "can you send the invoice?"));
    conversationId = (await waitFor(async () => (await admin.get("/api/conversations")).body.items[0], "conversation")).id;
    const [ws] = await p.ctx.db.insert(workspaces).values({ name: "Other" }).returning();
    await p.ctx.db.insert(users).values({ workspaceId: ws!.id, email: "other@test.local", name: "Other", role: "admin", passwordHash: await hashPassword("other-password-1") });
    other = await ApiClient.login(p.url, "other@test.local", "other-password-1");
  });
  afterAll(async () => {
    await p?.stop();
    await callback?.close();
  });

  it("the reply options say what files this conversation's platform takes", async () => {
    const conv = (await agent.get(`/api/conversations/${conversationId}`)).body.conversation;
    expect(conv.replyOptions.attachments).toMatchObject({ maxBytes: 25 * 1024 * 1024, maxCount: 10 });
    expect(conv.replyOptions.attachments.accept).toContain("application/pdf");
  });

  it("a reply with files reaches the API channel's callback as signed links that work without a session, until they expire", async () => {
    const pdf = await upload(agent, PDF, "application/pdf", "invoice 42.pdf", conversationId);
    expect(pdf.status).toBe(201);
    expect(pdf.body.upload).toMatchObject({ name: "invoice 42.pdf", mimeType: "application/pdf", size: PDF.length });
    const png = await upload(agent, PNG, "image/png", "logo.png");
    const sent = await agent.post(`/api/conversations/${conversationId}/messages`, { text: "here it is", attachmentIds: [pdf.body.upload.id, png.body.upload.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.message.attachments).toMatchObject([
      { id: pdf.body.upload.id, type: "file", name: "invoice 42.pdf", status: "stored", url: `/api/attachments/${pdf.body.upload.id}` },
      { id: png.body.upload.id, type: "image", name: "logo.png", status: "stored" },
    ]);

    const got = await waitFor(async () => callback.received.find((r) => r.body.text === "here it is"), "callback");
    expect(got.body.attachments.map((a: any) => [a.name, a.mimeType, a.size])).toEqual([
      ["invoice 42.pdf", "application/pdf", PDF.length],
      ["logo.png", "image/png", PNG.length],
    ]);
    const link = got.body.attachments[0].url as string;
    expect(link.startsWith(`${p.ctx.config.publicUrl}/api/attachments/`)).toBe(true);
    const fetched = await download(link.replace(p.ctx.config.publicUrl, p.url));
    expect(fetched.status).toBe(200);
    expect(fetched.bytes.equals(PDF)).toBe(true);
    // A tampered or expired link is refused (the signature's first character changed, whatever it was).
    expect((await download(link.replace(p.ctx.config.publicUrl, p.url).replace(/signature=(.)/, (_, c) => `signature=${c === "A" ? "B" : "A"}`))).status).toBe(403);
    p.clock.advance(2 * 3600_000);
    expect((await download(link.replace(p.ctx.config.publicUrl, p.url))).status).toBe(403);

    // A sent upload cannot be sent again.
    const again = await agent.post(`/api/conversations/${conversationId}/messages`, { text: "again", attachmentIds: [pdf.body.upload.id] });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe("unknown_attachment");
  });

  it("downloads: the right type, inline only for images and video, a restrictive CSP, nosniff, and ranges for seeking", async () => {
    const video = (await upload(agent, MP4, "video/mp4", "clip.mp4")).body.upload;
    const doc = (await upload(agent, PDF, "application/pdf", "notes.pdf")).body.upload;
    await agent.post(`/api/conversations/${conversationId}/messages`, { text: "files for the team", visibility: "note", attachmentIds: [video.id, doc.id] });

    const v = await download(`${p.url}/api/attachments/${video.id}`, agent.cookie);
    expect(v.status).toBe(200);
    expect(v.headers.get("content-type")).toBe("video/mp4");
    expect(v.headers.get("content-disposition")).toBe(`inline; filename="clip.mp4"; filename*=UTF-8''clip.mp4`);
    expect(v.headers.get("x-content-type-options")).toBe("nosniff");
    expect(v.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(v.headers.get("accept-ranges")).toBe("bytes");

    const part = await download(`${p.url}/api/attachments/${video.id}`, agent.cookie, { range: "bytes=4-11" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 4-11/${MP4.length}`);
    expect(part.bytes.toString()).toBe("ftypmp42");
    expect((await download(`${p.url}/api/attachments/${video.id}`, agent.cookie, { range: `bytes=${MP4.length}-` })).status).toBe(416);

    const d = await download(`${p.url}/api/attachments/${doc.id}`, admin.cookie);
    expect(d.headers.get("content-type")).toBe("application/pdf");
    expect(d.headers.get("content-disposition")).toMatch(/^attachment; filename="notes.pdf"/);
    expect(d.bytes.equals(PDF)).toBe(true);
  });

  it("files are scoped: anonymous 401, another workspace 404; an unsent upload is only its uploader's", async () => {
    const mine = (await upload(agent, PNG, "image/png", "draft.png")).body.upload;
    expect((await download(`${p.url}/api/attachments/${mine.id}`, agent.cookie)).status).toBe(200);
    expect((await download(`${p.url}/api/attachments/${mine.id}`, admin.cookie)).status).toBe(404);
    expect((await download(`${p.url}/api/attachments/${mine.id}`)).status).toBe(401);
    await agent.post(`/api/conversations/${conversationId}/messages`, { text: "draft", visibility: "note", attachmentIds: [mine.id] });
    expect((await download(`${p.url}/api/attachments/${mine.id}`, admin.cookie)).status).toBe(200);
    expect((await download(`${p.url}/api/attachments/${mine.id}`, other.cookie)).status).toBe(404);
    // Nor can another workspace send it.
    const foreign = await other.post(`/api/conversations/${conversationId}/messages`, { text: "x", attachmentIds: [mine.id] });
    expect(foreign.status).toBe(404);
  });

  it("uploads refuse what no platform takes, a fake image, an empty file, and files over the limit, with codes", async () => {
    const html = await upload(agent, Buffer.from("<script>alert(1)</script>"), "text/html", "x.html");
    expect(html.status).toBe(415);
    expect(html.body.code).toBe("unsupported_media_type");
    const fakePng = await upload(agent, Buffer.from("<svg onload=alert(1)>"), "image/png", "x.png");
    expect(fakePng.status).toBe(415);
    expect((await upload(agent, Buffer.alloc(0), "application/pdf", "empty.pdf")).status).toBe(400);
    const big = await upload(agent, Buffer.alloc(25 * 1024 * 1024 + 1), "application/pdf", "big.pdf");
    expect(big.status).toBe(413);
    expect(big.body.code).toBe("attachment_too_large");
    const anon = await upload(new ApiClient(p.url), PDF, "application/pdf", "a.pdf");
    expect(anon.status).toBe(401);
  });

  it("at most maxCount files per reply; a refused reply leaves no message and keeps its uploads", async () => {
    const files = [];
    for (let i = 0; i < 11; i++) files.push((await upload(agent, PNG, "image/png", `p${i}.png`)).body.upload.id);
    const tooMany = await agent.post(`/api/conversations/${conversationId}/messages`, { text: "eleven files", attachmentIds: files });
    expect(tooMany.status).toBe(400); // the request schema allows at most 10, the API channel's maxCount
    const texts = (await agent.get(`/api/conversations/${conversationId}/messages`)).body.items.map((m: any) => m.text);
    expect(texts).not.toContain("eleven files");
    expect((await agent.post(`/api/conversations/${conversationId}/messages`, { text: "ten files", attachmentIds: files.slice(0, 10) })).status).toBe(201);
  });
});
