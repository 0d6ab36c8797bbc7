import { z } from "zod";
import { fromBase64Url, randomBytes, toBase64Url } from "./encoding";

/**
 * Platform tokens at rest: AES-256-GCM with a random 96-bit IV, a key id so keys can rotate, and
 * additional data binding the ciphertext to what it belongs to (workspace and connection), so a
 * sealed token copied onto another row does not open.
 *
 * Format: `v1.<kid>.<iv b64url>.<ciphertext+tag b64url>`.
 */

/** `TOKEN_KEYS`: comma-separated `kid:base64url(32 bytes)`; the first is used to seal, all can open. */
const KeyList = z
  .string({ error: "TOKEN_KEYS is not set. Run `npm start` (it writes .dev.vars) or `wrangler secret put TOKEN_KEYS`." })
  .transform((value, ctx) => {
    const keys = value.split(",").map((entry) => entry.trim()).filter(Boolean).map((entry) => {
      const [kid, material] = entry.split(":");
      return { kid: kid ?? "", bytes: material ? fromBase64Url(material) : new Uint8Array() };
    });
    for (const key of keys) {
      if (!/^[A-Za-z0-9_-]{1,16}$/.test(key.kid) || key.bytes.length !== 32) {
        ctx.addIssue({ code: "custom", message: "Each TOKEN_KEYS entry must be `kid:<32 random bytes, base64url>`." });
        return z.NEVER;
      }
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: "custom", message: "TOKEN_KEYS has no key." });
      return z.NEVER;
    }
    return keys;
  });

export type Sealer = {
  seal(plaintext: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
};

const cache = new Map<string, Promise<Sealer>>();

export function sealerFrom(tokenKeys: string | undefined): Promise<Sealer> {
  const raw = tokenKeys ?? "";
  let sealer = cache.get(raw);
  if (!sealer) {
    sealer = buildSealer(KeyList.parse(tokenKeys));
    cache.set(raw, sealer);
  }
  return sealer;
}

async function buildSealer(keys: { kid: string; bytes: Uint8Array }[]): Promise<Sealer> {
  const imported = new Map<string, CryptoKey>();
  for (const key of keys) imported.set(key.kid, await crypto.subtle.importKey("raw", key.bytes, "AES-GCM", false, ["encrypt", "decrypt"]));
  const current = keys[0] as { kid: string };
  const encoder = new TextEncoder();
  return {
    async seal(plaintext, context) {
      const iv = randomBytes(12);
      const key = imported.get(current.kid) as CryptoKey;
      const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, key, encoder.encode(plaintext));
      return `v1.${current.kid}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ciphertext))}`;
    },
    async open(sealed, context) {
      const [version, kid, iv, data] = sealed.split(".");
      const key = kid ? imported.get(kid) : undefined;
      if (version !== "v1" || !key || !iv || !data) throw new Error("Sealed token has an unknown format or key id.");
      const plaintext = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(iv), additionalData: encoder.encode(context) }, key, fromBase64Url(data));
      return new TextDecoder().decode(plaintext);
    },
  };
}
