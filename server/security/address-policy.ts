import ipaddr from "ipaddr.js";

/**
 * Which network addresses Parley may call on a user's or a platform's behalf. Outbound calls
 * (callbacks, platform APIs, key downloads) go only to public unicast addresses unless the operator
 * opts in with ALLOW_PRIVATE_TARGETS; otherwise a URL could make Parley reach loopback services, the
 * private network or a cloud metadata endpoint (SSRF).
 */
export type TargetPolicy = {
  /** ALLOW_PRIVATE_TARGETS: on-premise installs whose callbacks or platform proxies live on a private network. */
  allowPrivate: boolean;
  /** Exact origins (`http://127.0.0.1:3990`) allowed whatever their address: the demo's local fakes only. */
  trustedOrigins?: ReadonlySet<string>;
};

export const strictPolicy: TargetPolicy = { allowPrivate: false };

export class TargetRefused extends Error {
  readonly code = "EPRIVATETARGET";
}

/**
 * True for a public unicast address. Everything else is refused: loopback, private, link-local (and
 * so 169.254.169.254), carrier-grade NAT (100.64/10, e.g. 100.100.100.200), unspecified, broadcast,
 * multicast, documentation and reserved ranges; IPv4-mapped IPv6 is judged as the IPv4 it carries;
 * IPv6 outside global unicast (2000::/3) and the ranges that embed IPv4 (6to4, Teredo, NAT64) are refused.
 */
export function isPublicAddress(address: string): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  } catch {
    return false;
  }
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
    if ((v6.parts[0]! & 0xe000) !== 0x2000) return false;
  }
  return ip.range() === "unicast";
}

/** An IP literal as the WHATWG URL parser leaves it (IPv4 dotted, IPv6 in brackets), or null for a name. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, "");
  return ipaddr.isValid(bare) ? bare : null;
}

/**
 * The checks that need no DNS: scheme, credentials in the URL, and an IP literal's range. Decimal,
 * hex and octal IPv4 forms (`http://2130706433/`, `http://0x7f.1/`) are normalised by the URL parser
 * to dotted form first, so they are judged like 127.0.0.1.
 */
export function checkUrlSyntax(raw: string | URL, policy: TargetPolicy): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: "only http and https URLs are allowed" };
  if (url.username || url.password) return { ok: false, reason: "URLs with a user name or password are not allowed" };
  if (policy.allowPrivate || policy.trustedOrigins?.has(url.origin)) return { ok: true, url };
  const literal = literalAddress(url.hostname);
  if (literal && !isPublicAddress(literal)) {
    return { ok: false, reason: `${url.hostname} is a private, loopback, link-local or reserved address` };
  }
  if (url.hostname === "localhost" || url.hostname.endsWith(".localhost")) {
    return { ok: false, reason: `${url.hostname} is this machine` };
  }
  return { ok: true, url };
}
