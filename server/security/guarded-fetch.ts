import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { Agent, fetch as undiciFetch, type Response as UndiciResponse } from "undici";
import { checkUrlSyntax, isPublicAddress, literalAddress, TargetRefused, type TargetPolicy } from "./address-policy.js";

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The DNS step of every guarded connection: the name is resolved once, here, and the connection goes
 * to an address that was checked, so a name that resolves to a public address when the URL is saved
 * and to 127.0.0.1 later (DNS rebinding) is still refused. Any private answer refuses the whole name.
 */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback) {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad || list.length === 0) {
      return callback(new TargetRefused(`${hostname} resolves to a private, loopback, link-local or reserved address`) as unknown as NodeJS.ErrnoException, []);
    }
    if (options.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

const guardedAgent = new Agent({ connect: { lookup: guardedLookup as never }, keepAliveTimeout: 10_000 });
const openAgent = new Agent({ keepAliveTimeout: 10_000 });

/** Finds our refusal inside undici's "fetch failed" wrapper. */
export function refusalOf(err: unknown): TargetRefused | null {
  for (let e = err as { cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as { cause?: unknown } | undefined, i++) {
    if (e instanceof TargetRefused || (e as { code?: string }).code === "EPRIVATETARGET") return e as TargetRefused;
  }
  return null;
}

/**
 * fetch for URLs Parley does not fully control (callbacks, platform APIs): refuses private targets
 * per `policy` (IP literals before connecting, names at connect time), never follows redirects (a
 * 3xx comes back as the answer), and times out. Throws TargetRefused, or fetch's own errors.
 */
export async function guardedFetch(url: string | URL, init: RequestInit, policy: TargetPolicy, timeoutMs: number): Promise<UndiciResponse> {
  const checked = checkUrlSyntax(url, policy);
  if (!checked.ok) throw new TargetRefused(checked.reason);
  const open = policy.allowPrivate || policy.trustedOrigins?.has(checked.url.origin);
  return undiciFetch(checked.url, {
    ...(init as object),
    ...multipartFor(init),
    redirect: "manual",
    signal: init.signal ?? AbortSignal.timeout(timeoutMs),
    dispatcher: open ? openAgent : guardedAgent,
  } as Parameters<typeof undiciFetch>[1]);
}

/**
 * undici's fetch does not recognise Node's global FormData (another class) and would send it as
 * the text "[object FormData]": encode it with the global Response into a streamed multipart body
 * and its boundary header instead.
 */
function multipartFor(init: RequestInit): Partial<RequestInit> & { duplex?: "half" } {
  if (!(init.body instanceof globalThis.FormData)) return {};
  const encoded = new Response(init.body);
  const headers = new Headers(init.headers);
  headers.set("content-type", encoded.headers.get("content-type") ?? "multipart/form-data");
  return { body: encoded.body, headers, duplex: "half" };
}

/**
 * For a URL a user is saving (a callback URL): the same refusal, with DNS resolved now so the admin
 * hears at once. A name that does not resolve yet is accepted; the connect-time check still applies.
 */
export async function checkTargetNow(url: string, policy: TargetPolicy): Promise<{ ok: true } | { ok: false; reason: string }> {
  const checked = checkUrlSyntax(url, policy);
  if (!checked.ok) return checked;
  if (policy.allowPrivate || policy.trustedOrigins?.has(checked.url.origin) || literalAddress(checked.url.hostname)) return { ok: true };
  const addresses = await new Promise<LookupAddress[]>((resolve) => {
    const timer = setTimeout(() => resolve([]), 3000);
    lookup(checked.url.hostname, { all: true }, (err, list) => {
      clearTimeout(timer);
      resolve(err ? [] : list);
    });
  });
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad) return { ok: false, reason: `${checked.url.hostname} resolves to a private, loopback, link-local or reserved address (${bad.address})` };
  return { ok: true };
}
