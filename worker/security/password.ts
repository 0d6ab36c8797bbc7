import { constantTimeEqual, fromBase64Url, randomBytes, toBase64Url } from "./encoding";

/** workerd refuses PBKDF2 above 100,000 iterations, so this is both the target and the ceiling. */
export const PBKDF2_ITERATIONS = 100_000;
const SCHEME = "pbkdf2-sha256";

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterationsText, saltText, hashText] = stored.split("$");
  const iterations = Number(iterationsText);
  if (scheme !== SCHEME || !saltText || !hashText || !Number.isInteger(iterations) || iterations < 1) return false;
  const actual = await derive(password, fromBase64Url(saltText), Math.min(iterations, PBKDF2_ITERATIONS));
  return constantTimeEqual(actual, fromBase64Url(hashText));
}

/**
 * A hash of a random password, verified against when the email is unknown so that a login for
 * a missing account costs the same time as one with a wrong password (no account enumeration by timing).
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(toBase64Url(randomBytes(16)));
  return decoyHash;
}
