import { z } from "zod";
import { constantTimeEqual, fromBase64Url, toBase64Url } from "../security/encoding";

/**
 * Expiring public links to one library file, for platforms that pull media by URL. A token is
 * `base64url(payload).base64url(HMAC-SHA256(payload))`. The key is derived from SESSION_SECRET with
 * HKDF (its own `info`, so it can never be confused with a session key), so no new secret is needed;
 * rotating SESSION_SECRET invalidates outstanding links, as it does sessions.
 */
const Payload = z.object({ w: z.string(), m: z.string(), e: z.number().int() });
export type MediaGrant = { workspaceId: string; mediaId: string; expiresAt: number };
export type TokenCheck = { ok: true; grant: MediaGrant } | { ok: false; reason: "invalid" | "expired" };

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"])
      .then((base) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(), info: new TextEncoder().encode("atelier/media-public-url/v1") },
          base,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign"],
        ),
      );
    keys.set(secret, key);
  }
  return key;
}

async function mac(secret: string, payload: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(payload)));
}

export async function signMediaToken(secret: string, grant: MediaGrant): Promise<string> {
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify({ w: grant.workspaceId, m: grant.mediaId, e: grant.expiresAt })));
  return `${payload}.${toBase64Url(await mac(secret, payload))}`;
}

/** The signature is checked (in constant time) before anything in the payload is believed. */
export async function verifyMediaToken(secret: string, token: string, now: number): Promise<TokenCheck> {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(payload + signature)) return { ok: false, reason: "invalid" };
  if (!constantTimeEqual(fromBase64Url(signature), await mac(secret, payload))) return { ok: false, reason: "invalid" };
  let parsed: z.infer<typeof Payload>;
  try {
    parsed = Payload.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(payload))));
  } catch {
    return { ok: false, reason: "invalid" };
  }
  if (parsed.e <= now) return { ok: false, reason: "expired" };
  return { ok: true, grant: { workspaceId: parsed.w, mediaId: parsed.m, expiresAt: parsed.e } };
}
