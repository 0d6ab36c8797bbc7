import { sealerFrom, type Sealer } from "../security/token-seal";
import type { TokenSet } from "../platforms/types";

/**
 * Additional authenticated data for each sealed value: a ciphertext only opens on the row (and for
 * the purpose) it was sealed for.
 */
export const sealContext = {
  connection: (workspaceId: string, connectionId: string, purpose: "access" | "refresh" | "grant") => `connection:${workspaceId}:${connectionId}:${purpose}`,
  verifier: (stateHash: string) => `oauth-verifier:${stateHash}`,
  pending: (workspaceId: string, pendingId: string) => `pending-grant:${workspaceId}:${pendingId}`,
};

export function sealer(env: Env): Promise<Sealer> {
  return sealerFrom(env.TOKEN_KEYS);
}

export type SealedTokens = { accessTokenSealed: string; refreshTokenSealed: string | null; grantTokenSealed: string | null; tokenExpiresAt: number | null; refreshExpiresAt: number | null };

export async function sealTokens(s: Sealer, workspaceId: string, connectionId: string, tokens: TokenSet, grantAccessToken: string | null): Promise<SealedTokens> {
  return {
    accessTokenSealed: await s.seal(tokens.accessToken, sealContext.connection(workspaceId, connectionId, "access")),
    refreshTokenSealed: tokens.refreshToken ? await s.seal(tokens.refreshToken, sealContext.connection(workspaceId, connectionId, "refresh")) : null,
    grantTokenSealed: grantAccessToken && grantAccessToken !== tokens.accessToken ? await s.seal(grantAccessToken, sealContext.connection(workspaceId, connectionId, "grant")) : null,
    tokenExpiresAt: tokens.expiresAt,
    refreshExpiresAt: tokens.refreshExpiresAt,
  };
}

type SealedRow = { id: string; workspaceId: string; accessTokenSealed: string | null; refreshTokenSealed: string | null; grantTokenSealed: string | null; tokenExpiresAt: number | null; refreshExpiresAt: number | null };

/** Opens a connection's tokens, server-side, at the moment of use. Null when the tokens were removed. */
export async function openTokens(s: Sealer, row: SealedRow): Promise<{ tokens: TokenSet; grantAccessToken: string } | null> {
  if (!row.accessTokenSealed) return null;
  const accessToken = await s.open(row.accessTokenSealed, sealContext.connection(row.workspaceId, row.id, "access"));
  const refreshToken = row.refreshTokenSealed ? await s.open(row.refreshTokenSealed, sealContext.connection(row.workspaceId, row.id, "refresh")) : null;
  const grantAccessToken = row.grantTokenSealed ? await s.open(row.grantTokenSealed, sealContext.connection(row.workspaceId, row.id, "grant")) : accessToken;
  return { tokens: { accessToken, refreshToken, expiresAt: row.tokenExpiresAt, refreshExpiresAt: row.refreshExpiresAt }, grantAccessToken };
}
