import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../../worker/security/encoding";
import { newId } from "../../worker/security/ids";

/** The textbook definition (RFC 4648 §5 without padding), to check the direct encoder against. */
const reference = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

describe("base64url", () => {
  it("encodes RFC 4648's test vectors without padding", () => {
    const vectors: [string, string][] = [["", ""], ["f", "Zg"], ["fo", "Zm8"], ["foo", "Zm9v"], ["foob", "Zm9vYg"], ["fooba", "Zm9vYmE"], ["foobar", "Zm9vYmFy"]];
    for (const [text, encoded] of vectors) expect(toBase64Url(new TextEncoder().encode(text))).toBe(encoded);
  });

  it("matches the reference on every length up to 64 and every byte value, and round-trips", () => {
    for (let length = 0; length <= 64; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(toBase64Url(bytes)).toBe(reference(bytes));
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toBase64Url(all)).toBe(reference(all));
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe("-_-_");
  });

  it("makes ids of 22 url-safe characters", () => {
    const ids = Array.from({ length: 1000 }, newId);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(1000);
  });
});
