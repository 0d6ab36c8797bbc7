import { randomBytes, toBase64Url } from "./encoding";

/** A new opaque id: 128 random bits, base64url (22 characters). */
export function newId(): string {
  return toBase64Url(randomBytes(16));
}

/** A bearer secret for links (invites): 256 random bits. Only its hash is stored. */
export function newToken(): string {
  return toBase64Url(randomBytes(32));
}
