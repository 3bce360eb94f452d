import { ApiClient } from "../helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { signatureVectors, startMetaFake, type MetaFake } from "./meta-fake.js";

/** The ids the Meta fixtures use. */
export const PAGE_ID = "108000000000001";
export const IG_ID = "17841400000000001";
export const APP_SECRET = signatureVectors.meta_app_secret; // "fake_meta_app_secret_123"
export const FB_VERIFY = "fake-verify-token-abc";
export const IG_VERIFY = "fake-ig-verify-token";
export const FB_TOKEN = "fb-page-token-0001";
export const IG_TOKEN = "ig-user-token-0001";

export type MetaEnv = {
  p: TestParley;
  admin: ApiClient;
  fake: MetaFake;
  fb: { id: string };
  ig: { id: string };
  stop(): Promise<void>;
};

/** A real Parley with a Facebook Page and an Instagram account connected to the Meta fake. */
export async function startMetaEnv(opts: { fbConfig?: Record<string, unknown> } = {}): Promise<MetaEnv> {
  const p = await startTestParley();
  const fake = await startMetaFake({
    appSecret: APP_SECRET,
    accounts: [
      { id: PAGE_ID, kind: "page", token: FB_TOKEN },
      { id: IG_ID, kind: "ig", token: IG_TOKEN },
    ],
  });
  fake.setWebhookUrl(`${p.url}/webhooks/meta`);
  p.usePlatforms({ META_GRAPH_URL: fake.url });
  const admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
  const create = async (platform: string, config: Record<string, unknown>) => {
    const res = await admin.post("/api/channels", { platform, name: `${platform} test`, botEnabled: false, config });
    if (res.status !== 201) throw new Error(`channel creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string };
  };
  const fb = await create("facebook", {
    pageId: PAGE_ID,
    appSecret: APP_SECRET,
    verifyToken: FB_VERIFY,
    accessToken: FB_TOKEN,
    ...opts.fbConfig,
  });
  const ig = await create("instagram", { igUserId: IG_ID, appSecret: APP_SECRET, verifyToken: IG_VERIFY, accessToken: IG_TOKEN });
  return {
    p,
    admin,
    fake,
    fb,
    ig,
    async stop() {
      await fake.settled();
      await p.stop();
      await fake.close();
    },
  };
}

/** Every message of a channel's conversations, as the API shows them. */
export async function allMessages(admin: ApiClient, channelId: string) {
  const list = await admin.get(`/api/conversations?channelId=${channelId}&limit=100`);
  const out: any[] = [];
  for (const c of list.body.items as any[]) {
    const msgs = await admin.get(`/api/conversations/${c.id}/messages`);
    for (const m of msgs.body.items) out.push({ ...m, conversation: c });
  }
  return out;
}

/** Waits until the platform message with this id is stored, and returns it with its conversation. */
export async function waitForMessage(admin: ApiClient, channelId: string, externalId: string, what = `message ${externalId}`) {
  return waitFor(async () => (await allMessages(admin, channelId)).find((m) => m.externalId === externalId), what);
}

export async function messageById(admin: ApiClient, conversationId: string, id: string) {
  return ((await admin.get(`/api/conversations/${conversationId}/messages`)).body.items as any[]).find((m) => m.id === id);
}

export async function waitForStatus(admin: ApiClient, conversationId: string, id: string, status: string) {
  return waitFor(async () => {
    const m = await messageById(admin, conversationId, id);
    return m?.status === status && m;
  }, `message ${id} ${status}`);
}
