import { describe, expect, it } from "vitest";
import { privateUrlCorpus } from "../../test/helpers/ssrf-corpus.js";
import { checkUrlSyntax, isPublicAddress, strictPolicy } from "./address-policy.js";


describe("the SSRF address policy", () => {
  it.each(privateUrlCorpus)("refuses %s", (url) => {
    const result = checkUrlSyntax(url, strictPolicy);
    expect(result.ok).toBe(false);
  });

  it.each(["https://example.com/callback", "http://93.184.215.14/", "https://[2606:4700:4700::1111]/", "http://8.8.8.8:8080/x"])("allows the public %s", (url) => {
    expect(checkUrlSyntax(url, strictPolicy).ok).toBe(true);
  });

  it("refuses other schemes and credentials in the URL", () => {
    for (const url of ["file:///etc/passwd", "gopher://example.com/", "ftp://example.com/", "https://user:pass@example.com/", "not a url"]) {
      expect(checkUrlSyntax(url, strictPolicy).ok).toBe(false);
    }
  });

  it("allows private targets only when the operator opts in, or for exactly a trusted origin", () => {
    expect(checkUrlSyntax("http://10.0.0.5/hook", { allowPrivate: true }).ok).toBe(true);
    const demo = { allowPrivate: false, trustedOrigins: new Set(["http://127.0.0.1:3990"]) };
    expect(checkUrlSyntax("http://127.0.0.1:3990/v25.0/me/messages", demo).ok).toBe(true);
    expect(checkUrlSyntax("http://127.0.0.1:3991/", demo).ok).toBe(false);
    expect(checkUrlSyntax("http://127.0.0.1:6379/", demo).ok).toBe(false);
  });

  it("judges resolved addresses the same way (what the connect-time DNS check uses)", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "::1", "::ffff:192.168.0.1", "fe80::1%eth0", "169.254.169.254", "0.0.0.0", "garbage"]) expect(isPublicAddress(a)).toBe(false);
    for (const a of ["93.184.215.14", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(isPublicAddress(a)).toBe(true);
  });
});
