/** Small real files for media tests: a valid 1×1 PNG and JPEG, and a few bytes of "video". */
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("fake jpeg body for tests"), Buffer.from([0xff, 0xd9])]);
export const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypmp42"), Buffer.alloc(4096, 7)]);
export const PDF = Buffer.from("%PDF-1.4\n% a tiny test document\n%%EOF\n");

/** Reads a multipart/form-data body the way a platform's server would (fields as text, files as bytes). */
export async function readForm(headers: Record<string, string | string[] | undefined>, raw: Buffer) {
  const req = new Request("http://fake/", { method: "POST", headers: { "content-type": String(headers["content-type"]) }, body: new Uint8Array(raw) });
  const form = await req.formData();
  const fields: Record<string, string> = {};
  const files: Record<string, { name: string; type: string; bytes: Buffer }> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v === "string") fields[k] = v;
    else files[k] = { name: v.name, type: v.type, bytes: Buffer.from(await v.arrayBuffer()) };
  }
  return { fields, files };
}
