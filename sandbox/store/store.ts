import { RESETTABLE_TABLES } from "./schema";

export type TokenKind = "access" | "refresh";
export type GrantRow = { id: string; platform: string; client_id: string; user_id: string; scopes: string[]; assets: string[]; created_at: number; revoked_at: number | null; revoked_reason: string | null };
export type TokenRow = { token: string; platform: string; kind: TokenKind; grant_id: string; subject: string | null; expires_at: number | null; created_at: number; revoked_at: number | null; used_at: number | null };
export type TokenCheck = { ok: true; token: TokenRow; grant: GrantRow } | { ok: false; reason: "unknown" | "expired" | "revoked" };

function random(bytes = 18): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The simulated world's state. Every token string starts with `sbx_` so tests can search the app's
 * storage, logs and responses for leaks.
 */
export class SandboxStore {
  /** Containers, uploads and published posts (publishing endpoints of every platform). */
  readonly publishing: PublishingStore;

  constructor(private readonly sql: SqlStorage) {
    this.publishing = new PublishingStore(sql, () => this.now());
  }

  /** Sandbox time: real time plus an offset tests can advance (`POST /_sandbox/clock`). */
  now(): number {
    return Date.now() + Number(this.meta("clock_offset_ms") ?? "0");
  }

  advanceClock(ms: number): number {
    this.setMeta("clock_offset_ms", String(Number(this.meta("clock_offset_ms") ?? "0") + ms));
    return this.now();
  }

  meta(key: string): string | null {
    return this.sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = ?`, key).toArray()[0]?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.sql.exec(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value);
  }

  reset(): void {
    for (const table of RESETTABLE_TABLES) this.sql.exec(`DELETE FROM ${table}`);
  }

  // ── grants, codes and tokens ─────────────────────────────────────────────

  createGrant(platform: string, clientId: string, userId: string, scopes: string[], assets: string[]): GrantRow {
    const grant: GrantRow = { id: `grant_${random(9)}`, platform, client_id: clientId, user_id: userId, scopes, assets, created_at: this.now(), revoked_at: null, revoked_reason: null };
    this.sql.exec(`INSERT INTO grants (id, platform, client_id, user_id, scopes, assets, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, grant.id, platform, clientId, userId, JSON.stringify(scopes), JSON.stringify(assets), grant.created_at);
    return grant;
  }

  grant(id: string): GrantRow | null {
    const row = this.sql.exec<Omit<GrantRow, "scopes" | "assets"> & { scopes: string; assets: string }>(`SELECT * FROM grants WHERE id = ?`, id).toArray()[0];
    return row ? { ...row, scopes: JSON.parse(row.scopes) as string[], assets: JSON.parse(row.assets) as string[] } : null;
  }

  setGrantScopes(id: string, scopes: string[]): void {
    this.sql.exec(`UPDATE grants SET scopes = ? WHERE id = ?`, JSON.stringify(scopes), id);
  }

  /** Revoking a grant kills every token issued under it (access and refresh alike). */
  revokeGrant(id: string, reason: string): void {
    const now = this.now();
    this.sql.exec(`UPDATE grants SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL`, now, reason, id);
    this.sql.exec(`UPDATE tokens SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL`, now, id);
  }

  issueCode(platform: string, clientId: string, redirectUri: string, grantId: string, challenge: { challenge: string | null; method: string | null }): string {
    const code = `sbx_code_${random()}`;
    this.sql.exec(
      `INSERT INTO codes (code, platform, client_id, redirect_uri, grant_id, code_challenge, code_challenge_method, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      code, platform, clientId, redirectUri, grantId, challenge.challenge, challenge.method, this.now(),
    );
    return code;
  }

  /** A code is single use and lives 10 minutes; the caller validates client, redirect URI and PKCE. */
  consumeCode(code: string): { grant_id: string; client_id: string; redirect_uri: string; code_challenge: string | null; code_challenge_method: string | null; platform: string } | "invalid" | "used" | "expired" {
    const row = this.sql.exec<{ grant_id: string; client_id: string; redirect_uri: string; code_challenge: string | null; code_challenge_method: string | null; platform: string; created_at: number; used_at: number | null }>(`SELECT * FROM codes WHERE code = ?`, code).toArray()[0];
    if (!row) return "invalid";
    if (row.used_at !== null) return "used";
    if (this.now() - row.created_at > 10 * 60 * 1000) return "expired";
    this.sql.exec(`UPDATE codes SET used_at = ? WHERE code = ?`, this.now(), code);
    return row;
  }

  issueToken(platform: string, kind: TokenKind, grantId: string, lifetimeMs: number | null, subject: string | null = null): TokenRow {
    const now = this.now();
    const row: TokenRow = { token: `sbx_${platform}_${kind}_${random()}`, platform, kind, grant_id: grantId, subject, expires_at: lifetimeMs === null ? null : now + lifetimeMs, created_at: now, revoked_at: null, used_at: null };
    this.sql.exec(`INSERT INTO tokens (token, platform, kind, grant_id, subject, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, row.token, platform, kind, grantId, subject, row.expires_at, now);
    return row;
  }

  check(token: string, kind: TokenKind): TokenCheck {
    const row = this.sql.exec<TokenRow>(`SELECT * FROM tokens WHERE token = ? AND kind = ?`, token, kind).toArray()[0];
    if (!row) return { ok: false, reason: "unknown" };
    const grant = this.grant(row.grant_id);
    if (!grant || row.revoked_at !== null || grant.revoked_at !== null) return { ok: false, reason: "revoked" };
    if (row.expires_at !== null && row.expires_at <= this.now()) return { ok: false, reason: "expired" };
    return { ok: true, token: row, grant };
  }

  /** Marks a refresh token used (rotation). Returns false when it had already been used. */
  markRefreshUsed(token: string): boolean {
    const before = this.sql.exec(`UPDATE tokens SET used_at = ? WHERE token = ? AND used_at IS NULL`, this.now(), token);
    return before.rowsWritten > 0;
  }

  wasRefreshUsed(token: string): boolean {
    return this.sql.exec<{ used_at: number | null }>(`SELECT used_at FROM tokens WHERE token = ?`, token).toArray()[0]?.used_at != null;
  }

  grantOfToken(token: string): string | null {
    return this.sql.exec<{ grant_id: string }>(`SELECT grant_id FROM tokens WHERE token = ?`, token).toArray()[0]?.grant_id ?? null;
  }

  /** Test control: expire (or revoke) every access token of the grant behind `token`. */
  expireGrantTokens(grantId: string, kind: TokenKind | "all"): number {
    const result = kind === "all"
      ? this.sql.exec(`UPDATE tokens SET expires_at = ? WHERE grant_id = ?`, this.now() - 1, grantId)
      : this.sql.exec(`UPDATE tokens SET expires_at = ? WHERE grant_id = ? AND kind = ?`, this.now() - 1, grantId, kind);
    return result.rowsWritten;
  }

  grantsOf(platform: string | null): GrantRow[] {
    const rows = platform
      ? this.sql.exec<{ id: string }>(`SELECT id FROM grants WHERE platform = ? ORDER BY created_at`, platform).toArray()
      : this.sql.exec<{ id: string }>(`SELECT id FROM grants ORDER BY created_at`).toArray();
    return rows.map((r) => this.grant(r.id)).filter((g): g is GrantRow => g !== null);
  }

  // ── call log and faults ──────────────────────────────────────────────────

  logCall(call: { platform: string; method: string; host: string; path: string; query: string; status: number; faultId: number | null }): void {
    this.sql.exec(`INSERT INTO calls (at, platform, method, host, path, query, status, fault_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, this.now(), call.platform, call.method, call.host, call.path, call.query, call.status, call.faultId);
  }

  calls(platform: string | null, since: number): Record<string, SqlStorageValue>[] {
    return platform
      ? this.sql.exec(`SELECT * FROM calls WHERE platform = ? AND id > ? ORDER BY id LIMIT 1000`, platform, since).toArray()
      : this.sql.exec(`SELECT * FROM calls WHERE id > ? ORDER BY id LIMIT 1000`, since).toArray();
  }

  /** `skip`: let this many matching calls through first (a fault on the third chunk of an upload). */
  addFault(fault: { platform: string | null; method: string | null; pathPattern: string; mode: string; status: number; body: string | null; headers: string | null; delayMs: number; times: number; skip?: number }): number {
    const row = this.sql.exec<{ id: number }>(
      `INSERT INTO faults (platform, method, path_pattern, mode, status, body, headers, delay_ms, remaining, skip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      fault.platform, fault.method, fault.pathPattern, fault.mode, fault.status, fault.body, fault.headers, fault.delayMs, fault.times, fault.skip ?? 0, this.now(),
    ).one();
    return row.id;
  }

  faults(): Record<string, SqlStorageValue>[] {
    return this.sql.exec(`SELECT * FROM faults ORDER BY id`).toArray();
  }

  clearFaults(): void {
    this.sql.exec(`DELETE FROM faults`);
  }

  /** The first live fault matching this call, consuming one of its uses (or one of the calls it lets through first). */
  takeFault(platform: string, method: string, path: string): { id: number; mode: string; status: number; body: string | null; headers: string | null; delay_ms: number } | null {
    const candidates = this.sql.exec<{ id: number; platform: string | null; method: string | null; path_pattern: string; mode: string; status: number; body: string | null; headers: string | null; delay_ms: number; skip: number }>(`SELECT * FROM faults WHERE remaining > 0 ORDER BY id`).toArray();
    for (const f of candidates) {
      if (f.platform && f.platform !== platform) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (!globMatch(f.path_pattern, path)) continue;
      if (f.skip > 0) {
        this.sql.exec(`UPDATE faults SET skip = skip - 1 WHERE id = ?`, f.id);
        return null;
      }
      this.sql.exec(`UPDATE faults SET remaining = remaining - 1 WHERE id = ?`, f.id);
      return f;
    }
    return null;
  }
}


export type SandboxObject<T = Record<string, unknown>> = { id: string; platform: string; account_id: string; kind: string; data: T; created_at: number; updated_at: number };
export type SandboxPost = { id: string; platform: string; account_id: string; kind: string; text: string; media: string[]; permalink: string; data: Record<string, unknown>; published_at: number; received_at: number; deleted_at: number | null };

/** Objects a platform holds before or beside a post (containers, unpublished photos, uploads) and what went live. */
export class PublishingStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number,
  ) {}

  createObject<T extends Record<string, unknown>>(object: { id: string; platform: string; accountId: string; kind: string; data: T }): SandboxObject<T> {
    const at = this.now();
    this.sql.exec(`INSERT INTO objects (id, platform, account_id, kind, data, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, object.id, object.platform, object.accountId, object.kind, JSON.stringify(object.data), at, at);
    return { id: object.id, platform: object.platform, account_id: object.accountId, kind: object.kind, data: object.data, created_at: at, updated_at: at };
  }

  object<T = Record<string, unknown>>(id: string): SandboxObject<T> | null {
    const row = this.sql.exec<Omit<SandboxObject, "data"> & { data: string }>(`SELECT * FROM objects WHERE id = ?`, id).toArray()[0];
    return row ? { ...row, data: JSON.parse(row.data) as T } : null;
  }

  updateObject(id: string, data: Record<string, unknown>): void {
    this.sql.exec(`UPDATE objects SET data = ?, updated_at = ? WHERE id = ?`, JSON.stringify(data), this.now(), id);
  }

  objectsOf(platform: string, accountId: string, kind: string): SandboxObject[] {
    return this.sql.exec<Omit<SandboxObject, "data"> & { data: string }>(`SELECT * FROM objects WHERE platform = ? AND account_id = ? AND kind = ? ORDER BY created_at`, platform, accountId, kind).toArray().map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  /** Records a post going live. `received_at` is the sandbox's real receive time of the go-live call (for lateness). */
  recordPost(post: { id: string; platform: string; accountId: string; kind: string; text: string; media: string[]; permalink: string; data?: Record<string, unknown>; receivedAt: number }): SandboxPost {
    const at = this.now();
    this.sql.exec(
      `INSERT INTO posts (id, platform, account_id, kind, text, media, permalink, data, published_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      post.id, post.platform, post.accountId, post.kind, post.text, JSON.stringify(post.media), post.permalink, JSON.stringify(post.data ?? {}), at, post.receivedAt,
    );
    return this.post(post.id) as SandboxPost;
  }

  post(id: string): SandboxPost | null {
    const row = this.sql.exec<Omit<SandboxPost, "media" | "data"> & { media: string; data: string }>(`SELECT * FROM posts WHERE id = ?`, id).toArray()[0];
    return row ? { ...row, media: JSON.parse(row.media) as string[], data: JSON.parse(row.data) as Record<string, unknown> } : null;
  }

  /** Live posts, newest first (deleted ones only when asked). */
  posts(filter: { platform?: string | null; accountId?: string | null; includeDeleted?: boolean; limit?: number }): SandboxPost[] {
    const where: string[] = [];
    const args: SqlStorageValue[] = [];
    if (filter.platform) (where.push("platform = ?"), args.push(filter.platform));
    if (filter.accountId) (where.push("account_id = ?"), args.push(filter.accountId));
    if (!filter.includeDeleted) where.push("deleted_at IS NULL");
    const sql = `SELECT * FROM posts ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY published_at DESC, id DESC LIMIT ?`;
    return this.sql
      .exec<Omit<SandboxPost, "media" | "data"> & { media: string; data: string }>(sql, ...args, filter.limit ?? 100_000)
      .toArray()
      .map((r) => ({ ...r, media: JSON.parse(r.media) as string[], data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  /** Posts an account published since `since` (for publishing limits such as Instagram's 100 per 24 h). */
  countPostsSince(platform: string, accountId: string, since: number): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM posts WHERE platform = ? AND account_id = ? AND published_at >= ?`, platform, accountId, since).one().n;
  }

  /** A live post changed on the platform (an edited title, a privacy change): its text and data are replaced. */
  updatePost(id: string, change: { text: string; data: Record<string, unknown> }): void {
    this.sql.exec(`UPDATE posts SET text = ?, data = ? WHERE id = ?`, change.text, JSON.stringify(change.data), id);
  }

  deletePost(id: string): boolean {
    return this.sql.exec(`UPDATE posts SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`, this.now(), id).rowsWritten > 0;
  }
}

/** `*` matches within a path segment, `**` across segments; anything else is literal. */
export function globMatch(pattern: string, path: string): boolean {
  const regex = pattern
    .split("**")
    .map((part) => part.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*"))
    .join(".*");
  return new RegExp(`^${regex}$`).test(path);
}
