import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { allMessages, IG_ID, PAGE_ID, startMetaEnv, waitForMessage, type MetaEnv } from "./fakes/meta-test-setup.js";
import { startWhatsappFake, type WhatsappFake } from "./fakes/whatsapp-fake.js";
import { startTelegramFake, type TelegramFake } from "./fakes/telegram-fake.js";
import { startXFake, type XFake } from "./fakes/x-fake.js";
import { JPEG, MP4, PDF, PNG } from "./fakes/media-files.js";
import { upload } from "./helpers/uploads.js";

const WA = { phone: "106000000000004", token: "fake-wa-access-token-0001", secret: "fake_meta_app_secret_123" };
const TG = { token: "8000000001:AAFakeBotTokenForParleyTests_x1", secret: "tg-secret-token-0001" };
const X = { brand: "1500000000000000001", secret: "x-consumer-secret-1", token: "x-user-token-1" };

/** Waits until the file of a message is no longer pending, and answers the attachment. */
const settledFile = (admin: ApiClient, channelId: string, externalId: string) =>
  waitFor(async () => {
    const m = await waitForMessage(admin, channelId, externalId);
    return m.attachments.every((a: any) => a.status !== "pending") && m.attachments[0];
  }, `file of ${externalId}`, 15_000);

const bytesOf = async (admin: ApiClient, path: string) => {
  const res = await fetch(admin.base + path, { headers: { cookie: admin.cookie } });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
};

describe("attachments through each platform's own media APIs (local fakes)", () => {
  let env: MetaEnv;
  let wa: WhatsappFake;
  let tg: TelegramFake;
  let x: XFake;
  // WhatsApp's Cloud API lives on the same Graph URL setting as Messenger's: its fake gets a Parley of its own.
  let wp: TestParley;
  let wadmin: ApiClient;
  let channels: Record<"whatsapp" | "telegram" | "x", string>;
  let seq = 0;

  beforeAll(async () => {
    env = await startMetaEnv();
    const { p, admin } = env;
    wp = await startTestParley();
    wadmin = await ApiClient.login(wp.url, ADMIN.email, ADMIN.password);
    wa = await startWhatsappFake({ webhookUrl: `${wp.url}/webhooks/meta`, appSecret: WA.secret, phoneNumberId: WA.phone, accessToken: WA.token });
    tg = await startTelegramFake({ bots: [TG.token] });
    x = await startXFake({ consumerSecret: X.secret, userId: X.brand, accessToken: X.token, webhookUrl: `${p.url}/webhooks/x`, echo: false });
    wp.usePlatforms({ META_GRAPH_URL: wa.url });
    p.usePlatforms({ TELEGRAM_API_URL: tg.url, X_API_URL: x.url });
    const create = async (platform: string, config: Record<string, unknown>, client = admin) => {
      const res = await client.post("/api/channels", { platform, name: `${platform} files`, config });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    channels = {
      whatsapp: await create("whatsapp", { phoneNumberId: WA.phone, appSecret: WA.secret, verifyToken: "wa-verify-1", accessToken: WA.token }, wadmin),
      telegram: await create("telegram", { botToken: TG.token, secretToken: TG.secret }),
      x: await create("x", { userId: X.brand, consumerSecret: X.secret, accessToken: X.token }),
    };
    await fetch(`${tg.url}/bot${TG.token}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${p.url}/webhooks/telegram/${channels.telegram}`, secret_token: TG.secret }),
    });
  });
  afterAll(async () => {
    await env?.stop();
    await wp?.stop();
    await Promise.all([wa?.close(), tg?.close(), x?.close()]);
  });

  const messengerDm = (psid: string, message: Record<string, unknown>) => ({
    object: "page",
    entry: [{ id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message }] }],
  });

  describe("Messenger, Instagram and Page comments", () => {
    it("fetches a Messenger photo from Meta's CDN into Parley's storage, served with its type", async () => {
      const url = env.fake.addMedia("photo-1.jpg", JPEG, "image/jpeg");
      await env.fake.sendWebhook(messengerDm("6100000000000201", { mid: "m_file_1", attachments: [{ type: "image", payload: { url } }] }));
      const file = await settledFile(env.admin, env.fb.id, "m_file_1");
      expect(file).toMatchObject({ type: "image", status: "stored", mimeType: "image/jpeg", size: JPEG.length, url: `/api/attachments/${file.id}` });
      const got = await bytesOf(env.admin, file.url);
      expect(got.type).toBe("image/jpeg");
      expect(got.bytes.equals(JPEG)).toBe(true);
      // The conversation list says a photo came, not an empty line.
      const conv = (await env.admin.get(`/api/conversations?channelId=${env.fb.id}`)).body.items.find((c: any) => c.contact.name === "6100000000000201");
      expect(conv.lastMessage.text).toBe("[image]");
    });

    it("an expired CDN link ends as unavailable with the reason; a shared post is never fetched", async () => {
      const url = env.fake.addMedia("gone.jpg", JPEG, "image/jpeg");
      env.fake.expireMedia("gone.jpg");
      await env.fake.sendWebhook(
        messengerDm("6100000000000202", { mid: "m_file_2", attachments: [{ type: "image", payload: { url } }, { type: "fallback", payload: { url: "https://example.com/post" } }] }),
      );
      const m = await waitFor(async () => {
        const msg = await waitForMessage(env.admin, env.fb.id, "m_file_2");
        return msg.attachments[0].status === "unavailable" && msg;
      }, "unavailable");
      expect(m.attachments[0].reason).toMatch(/Facebook refused to hand over the file \(HTTP 404\)/);
      expect(m.attachments[1]).toMatchObject({ type: "fallback", status: "unavailable", reason: expect.stringMatching(/shared link/) });
      expect((await bytesOf(env.admin, `/api/attachments/${m.attachments[0].id}`)).status).toBe(404);
    });

    it("fetches a photo posted in a Page comment", async () => {
      const photo = env.fake.addMedia("comment-photo.png", PNG, "image/png");
      const postId = `${PAGE_ID}_7001`;
      await env.fake.sendWebhook({
        object: "page",
        entry: [{ id: PAGE_ID, time: Date.now(), changes: [{ field: "feed", value: { item: "comment", verb: "add", comment_id: `${postId}_9001`, post_id: postId, parent_id: postId, from: { id: "777", name: "Poster" }, message: "look", photo, created_time: Math.floor(Date.now() / 1000) } }] }],
      });
      const file = await settledFile(env.admin, env.fb.id, `${postId}_9001`);
      expect(file).toMatchObject({ type: "image", status: "stored", mimeType: "image/png" });
      expect((await bytesOf(env.admin, file.url)).bytes.equals(PNG)).toBe(true);
    });

    it("a Messenger reply with a file sends the text, then uploads the file (multipart); the echoes show it once", { timeout: 60_000 }, async () => {
      const m = await waitForMessage(env.admin, env.fb.id, "m_file_1");
      const conversationId = m.conversation.id;
      const up = await upload(env.admin, PNG, "image/png", "label.png", conversationId);
      expect(up.status).toBe(201);
      const sent = await env.admin.post(`/api/conversations/${conversationId}/messages`, { text: "Here is your label", attachmentIds: [up.body.upload.id] });
      expect(sent.status).toBe(201);
      await waitFor(async () => env.fake.received.find((r) => r.via === "upload" && r.bytes.equals(PNG)), "upload at Meta");
      const file = env.fake.received.find((r) => r.via === "upload")!;
      expect(file).toMatchObject({ account: PAGE_ID, type: "image", mimeType: "image/png", name: "label.png" });
      await env.fake.settled();
      // Two platform calls and two echoes: give a loaded machine time.
      const outs = await waitFor(async () => {
        const list = (await allMessages(env.admin, env.fb.id)).filter((x) => x.conversation.id === conversationId && x.direction === "out");
        if (list.length === 1 && list[0].status === "sent") return list;
        // Said when it times out: what the conversation shows instead.
        throw new Error(JSON.stringify(list.map((x) => ({ status: x.status, failureReason: x.failureReason, text: x.text, externalId: x.externalId, via: x.meta?.via, files: x.attachments?.map((f: any) => f.status) }))));
      }, "one sent reply", 30_000);
      expect(outs[0].attachments).toMatchObject([{ name: "label.png", status: "stored" }]);
    });

    it("Instagram takes the file from a signed link to Parley; Instagram comments take no files", async () => {
      const igsid = "9100000000000301";
      await env.fake.sendWebhook({
        object: "instagram",
        entry: [{ id: IG_ID, time: Date.now(), messaging: [{ sender: { id: igsid }, recipient: { id: IG_ID }, timestamp: Date.now(), message: { mid: "aWdf_files_1", text: "hi" } }] }],
      });
      const m = await waitForMessage(env.admin, env.ig.id, "aWdf_files_1");
      const up = await upload(env.admin, MP4, "video/mp4", "howto.mp4", m.conversation.id);
      const sent = await env.admin.post(`/api/conversations/${m.conversation.id}/messages`, { text: "", attachmentIds: [up.body.upload.id] });
      expect(sent.status).toBe(201);
      const got = await waitFor(async () => env.fake.received.find((r) => r.via === "url" && r.edge === "messages"), "Instagram fetched the link");
      expect(got).toMatchObject({ account: IG_ID, type: "video", mimeType: "video/mp4" });
      expect(got.bytes.equals(MP4)).toBe(true);

      await env.fake.sendWebhook({
        object: "instagram",
        entry: [{ id: IG_ID, time: Date.now(), changes: [{ field: "comments", value: { id: "18000000000000777", text: "nice", from: { id: "9100000000000302", username: "fan" }, media: { id: "18000000000000001" } } }] }],
      });
      const comment = await waitForMessage(env.admin, env.ig.id, "18000000000000777");
      const conv = (await env.admin.get(`/api/conversations/${comment.conversation.id}`)).body.conversation;
      expect(conv.replyOptions.attachments).toBeNull();
      const refused = await upload(env.admin, PNG, "image/png", "x.png", comment.conversation.id);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe("attachments_not_allowed");
    });

    it("a Page comment reply carries one photo by link; a video is refused with the platform's rule", async () => {
      const comment = await waitForMessage(env.admin, env.fb.id, `${PAGE_ID}_7001_9001`);
      const conv = (await env.admin.get(`/api/conversations/${comment.conversation.id}`)).body.conversation;
      expect(conv.replyOptions.attachments).toEqual({ accept: ["image/jpeg", "image/png", "image/gif"], maxBytes: 10 * 1024 * 1024, maxCount: 1 });
      const video = await upload(env.admin, MP4, "video/mp4", "clip.mp4");
      const refused = await env.admin.post(`/api/conversations/${comment.conversation.id}/messages`, { text: "watch", attachmentIds: [video.body.upload.id] });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe("attachment_type_not_allowed");
      const photo = await upload(env.admin, JPEG, "image/jpeg", "answer.jpg");
      expect((await env.admin.post(`/api/conversations/${comment.conversation.id}/messages`, { text: "like this", attachmentIds: [photo.body.upload.id] })).status).toBe(201);
      const got = await waitFor(async () => env.fake.received.find((r) => r.edge === "comments"), "comment photo fetched");
      expect(got.bytes.equals(JPEG)).toBe(true);
    });
  });

  describe("WhatsApp", () => {
    it("resolves a media id to its URL and downloads it with the token", async () => {
      const mediaId = wa.addMedia(JPEG, "image/jpeg");
      const sent = await wa.inboundMessage("15550009001", "Pat", { type: "image", image: { id: mediaId, mime_type: "image/jpeg", sha256: "x", caption: "the parcel" } });
      const file = await settledFile(wadmin, channels.whatsapp, sent.id);
      expect(file).toMatchObject({ type: "image", status: "stored", mimeType: "image/jpeg", size: JPEG.length });
      expect((await bytesOf(wadmin, file.url)).bytes.equals(JPEG)).toBe(true);
      expect(wa.calls.some((c) => c.body?.download === mediaId && c.headers.authorization === `Bearer ${WA.token}`)).toBe(true);
      const doc = await wa.inboundMessage("15550009001", "Pat", { type: "document", document: { id: "1480000000000000001", mime_type: "application/pdf", filename: "gone.pdf" } });
      const missing = await settledFile(wadmin, channels.whatsapp, doc.id);
      expect(missing).toMatchObject({ type: "file", status: "unavailable", name: "gone.pdf" });
    });

    it("uploads a reply's file, then sends it with the text as its caption", async () => {
      const inbound = await wa.inboundText("15550009002", "Lee", "the form please");
      const m = await waitForMessage(wadmin, channels.whatsapp, inbound.id);
      const up = await upload(wadmin, PDF, "application/pdf", "form.pdf", m.conversation.id);
      expect((await wadmin.post(`/api/conversations/${m.conversation.id}/messages`, { text: "Fill this in", attachmentIds: [up.body.upload.id] })).status).toBe(201);
      const send = await waitFor(async () => wa.sent().find((c) => c.body?.type === "document"), "document send");
      const uploaded = wa.uploads.find((u) => u.id === send.body.document.id)!;
      expect(uploaded).toMatchObject({ type: "application/pdf", name: "form.pdf" });
      expect(uploaded.bytes.equals(PDF)).toBe(true);
      expect(send.body.document).toMatchObject({ caption: "Fill this in", filename: "form.pdf" });
      expect(wa.sent().filter((c) => c.body?.to === "+15550009002" && c.body.type === "text")).toHaveLength(0);
    });

    it("a reply sent in parts that fails halfway resumes after the parts already sent: the text goes once", async () => {
      const inbound = await wa.inboundText("15550009003", "Sam", "voice note?");
      const m = await waitForMessage(wadmin, channels.whatsapp, inbound.id);
      const audio = Buffer.from("ID3 fake mp3 bytes");
      const up = await upload(wadmin, audio, "audio/mpeg", "note.mp3", m.conversation.id);
      // Audio takes no caption: the text is its own message, then the audio; the audio's send fails once.
      wa.failLater(1, 500, { error: { message: "Service temporarily unavailable", type: "OAuthException", code: 2 } });
      const sent = await wadmin.post(`/api/conversations/${m.conversation.id}/messages`, { text: "Listen to this", attachmentIds: [up.body.upload.id] });
      await waitFor(async () => {
        const msg = (await allMessages(wadmin, channels.whatsapp)).find((x) => x.id === sent.body.message.id);
        return msg?.status === "sent";
      }, "sent after the retry");
      const mine = wa.calls.filter((c) => c.body?.to === "+15550009003");
      expect(mine.filter((c) => c.body.type === "text" && c.status === 200)).toHaveLength(1);
      expect(mine.filter((c) => c.body.type === "audio").map((c) => c.status)).toEqual([500, 200]);
    });
  });

  describe("Telegram", () => {
    const photoUpdate = (chatId: number, messageId: number, fileId: string, size?: number) => ({
      update_id: 920000000 + ++seq,
      message: {
        message_id: messageId,
        from: { id: chatId, is_bot: false, first_name: "Kim" },
        chat: { id: chatId, first_name: "Kim", type: "private" },
        date: Math.floor(Date.now() / 1000),
        caption: "receipt",
        photo: [
          { file_id: `${fileId}-small`, file_unique_id: "s", file_size: 100, width: 90, height: 67 },
          { file_id: fileId, file_unique_id: "l", file_size: size ?? JPEG.length, width: 1280, height: 960 },
        ],
      },
    });

    it("resolves the largest photo size with getFile and downloads it; files over 20 MB are explained", async () => {
      tg.addFile("AgACFakeLarge", JPEG, { path: "photos/file_9.jpg" });
      await tg.sendUpdate(TG.token, photoUpdate(7000000009, 501, "AgACFakeLarge"));
      const file = await settledFile(env.admin, channels.telegram, "7000000009:501");
      expect(file).toMatchObject({ type: "image", status: "stored", mimeType: "image/jpeg", size: JPEG.length });
      expect((await bytesOf(env.admin, file.url)).bytes.equals(JPEG)).toBe(true);

      tg.addFile("AgACFakeHuge", JPEG, { size: 21 * 1024 * 1024 });
      await tg.sendUpdate(TG.token, photoUpdate(7000000009, 502, "AgACFakeHuge", 21 * 1024 * 1024));
      const huge = await settledFile(env.admin, channels.telegram, "7000000009:502");
      expect(huge).toMatchObject({ status: "unavailable", reason: "Telegram does not let bots download files larger than 20 MB: open it in Telegram." });
    });

    it("sends a photo with the text as caption, then a document", async () => {
      const m = await waitForMessage(env.admin, channels.telegram, "7000000009:501");
      const photo = await upload(env.admin, PNG, "image/png", "map.png", m.conversation.id);
      const doc = await upload(env.admin, PDF, "application/pdf", "terms.pdf", m.conversation.id);
      expect((await env.admin.post(`/api/conversations/${m.conversation.id}/messages`, { text: "Our shop", attachmentIds: [photo.body.upload.id, doc.body.upload.id] })).status).toBe(201);
      await waitFor(async () => tg.sentFiles.length === 2, "two files at Telegram");
      expect(tg.sentFiles.map((f) => [f.method, f.field, f.name, f.caption])).toEqual([
        ["sendPhoto", "photo", "map.png", "Our shop"],
        ["sendDocument", "document", "terms.pdf", undefined],
      ]);
      expect(tg.sentFiles[0]!.bytes.equals(PNG)).toBe(true);
      expect(tg.sends().filter((c) => c.body?.chat_id === 7000000009)).toHaveLength(0);
    });
  });

  describe("X", () => {
    it("fetches a DM's photo with the account's token, and takes no files on replies", async () => {
      const url = x.addMedia("dm-photo.jpg", JPEG, "image/jpeg", { private: true });
      const body = JSON.parse(x.dm({ id: "1500000000000000099", name: "Robin" }, "see photo"));
      body.direct_message_events[0].message_create.message_data.attachment = { type: "media", media: { type: "photo", media_url_https: url } };
      const id = body.direct_message_events[0].id;
      expect((await x.deliver(JSON.stringify(body))).status).toBe(200);
      const file = await settledFile(env.admin, channels.x, id);
      expect(file).toMatchObject({ type: "image", status: "stored" });
      expect((await bytesOf(env.admin, file.url)).bytes.equals(JPEG)).toBe(true);
      const m = await waitForMessage(env.admin, channels.x, id);
      expect((await env.admin.get(`/api/conversations/${m.conversation.id}`)).body.conversation.replyOptions.attachments).toBeNull();
    });
  });
});
