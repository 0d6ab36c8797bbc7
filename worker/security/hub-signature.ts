/**
 * Meta's `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the exact bytes received, keyed with
 * the app secret. Verified over the raw body before anything is parsed: re-serialized JSON differs
 * from what Meta signed (it sends non-ASCII as `\u00e4` escapes), so only the raw bytes are checked.
 */

const PREFIX = "sha256=";
const HEX_DIGEST = /^[0-9a-f]{64}$/;

// Importing a key costs more than the HMAC itself on small bodies; one key per secret is reused.
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** True only when `header` is `sha256=` + the HMAC of `raw`; `crypto.subtle.verify` compares in constant time. */
export async function verifyHubSignature(raw: ArrayBuffer | Uint8Array, header: string | null | undefined, secret: string): Promise<boolean> {
  if (!header?.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length).toLowerCase();
  if (!HEX_DIGEST.test(hex)) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(secret), hexToBytes(hex), raw);
}

/** The header value Meta would send for `raw` (the sandbox's emitter and the tests sign with it). */
export async function hubSignature(raw: ArrayBuffer | Uint8Array, secret: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), raw));
  let hex = "";
  for (const byte of mac) hex += byte.toString(16).padStart(2, "0");
  return PREFIX + hex;
}
