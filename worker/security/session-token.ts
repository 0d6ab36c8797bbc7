import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

/** The cookie's JWT lives one hour; the session row behind it lives 30 days and is checked on every request. */
export const SESSION_JWT_TTL_MS = 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const ISSUER = "atelier";
const AUDIENCE = "atelier-session";

const Claims = z.object({ sub: z.string().min(1), sid: z.string().min(1) });
export type SessionClaims = z.infer<typeof Claims>;

export type VerifiedToken =
  | { status: "valid"; claims: SessionClaims }
  /** Signature good but past `exp`: the session row decides whether a fresh token is issued. */
  | { status: "expired"; claims: SessionClaims }
  | { status: "invalid" };

function keyFrom(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signSessionToken(secret: string, claims: SessionClaims, now: number): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_JWT_TTL_MS / 1000)
    .sign(keyFrom(secret));
}

/** Only HS256 is accepted: `alg: none` and algorithm-confusion tokens fail verification. */
export async function verifySessionToken(secret: string, token: string, now: number): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, keyFrom(secret), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(now),
      clockTolerance: 0,
    });
    const claims = Claims.safeParse(payload);
    return claims.success ? { status: "valid", claims: claims.data } : { status: "invalid" };
  } catch (error) {
    // jose checks the signature before the claims, so an expiry error implies an authentic token.
    if (error instanceof errors.JWTExpired) {
      const claims = Claims.safeParse(error.payload);
      return claims.success ? { status: "expired", claims: claims.data } : { status: "invalid" };
    }
    return { status: "invalid" };
  }
}
