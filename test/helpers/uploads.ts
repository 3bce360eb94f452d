import type { ApiClient } from "./client.js";

/** POST /api/uploads as the console does: the file's bytes with its Content-Type, the name in the query. */
export async function upload(c: ApiClient, bytes: Buffer, type: string, name: string, conversationId?: string) {
  const q = new URLSearchParams({ name, ...(conversationId ? { conversationId } : {}) });
  const res = await fetch(`${c.base}/api/uploads?${q}`, { method: "POST", headers: { "content-type": type, cookie: c.cookie }, body: new Uint8Array(bytes) });
  return { status: res.status, body: (await res.json()) as any };
}
