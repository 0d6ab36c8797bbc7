/** The sandbox's own SQLite schema (inside its Durable Object), migrated in order at construction. */
const MIGRATIONS: string[] = [
  `CREATE TABLE calls (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, platform TEXT NOT NULL, method TEXT NOT NULL, host TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL, status INTEGER NOT NULL, fault_id INTEGER)`,
  `CREATE INDEX calls_platform ON calls (platform, id)`,
  `CREATE TABLE faults (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT, method TEXT, path_pattern TEXT NOT NULL, mode TEXT NOT NULL, status INTEGER NOT NULL, body TEXT, headers TEXT, delay_ms INTEGER NOT NULL DEFAULT 0, remaining INTEGER NOT NULL, created_at INTEGER NOT NULL)`,
  `CREATE TABLE grants (id TEXT PRIMARY KEY, platform TEXT NOT NULL, client_id TEXT NOT NULL, user_id TEXT NOT NULL, scopes TEXT NOT NULL, assets TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER, revoked_reason TEXT)`,
  `CREATE TABLE codes (code TEXT PRIMARY KEY, platform TEXT NOT NULL, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL, grant_id TEXT NOT NULL, code_challenge TEXT, code_challenge_method TEXT, created_at INTEGER NOT NULL, used_at INTEGER)`,
  `CREATE TABLE tokens (token TEXT PRIMARY KEY, platform TEXT NOT NULL, kind TEXT NOT NULL, grant_id TEXT NOT NULL, subject TEXT, expires_at INTEGER, created_at INTEGER NOT NULL, revoked_at INTEGER, used_at INTEGER)`,
  `CREATE INDEX tokens_grant ON tokens (grant_id)`,
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  // Publishing: objects a platform holds before or besides a post (containers, unpublished photos, video
  // uploads, upload sessions), and what actually went live, so tests can count duplicates and misses.
  `CREATE TABLE objects (id TEXT PRIMARY KEY, platform TEXT NOT NULL, account_id TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  `CREATE INDEX objects_account ON objects (platform, account_id, kind)`,
  `CREATE TABLE posts (id TEXT PRIMARY KEY, platform TEXT NOT NULL, account_id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, media TEXT NOT NULL, permalink TEXT NOT NULL, data TEXT NOT NULL, published_at INTEGER NOT NULL, received_at INTEGER NOT NULL, deleted_at INTEGER)`,
  `CREATE INDEX posts_account ON posts (platform, account_id, published_at)`,
  `ALTER TABLE faults ADD COLUMN skip INTEGER NOT NULL DEFAULT 0`,
];

export function migrateSandbox(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`);
  const row = sql.exec<{ version: number }>(`SELECT version FROM schema_version`).toArray()[0];
  let version = row?.version ?? 0;
  if (!row) sql.exec(`INSERT INTO schema_version (version) VALUES (0)`);
  while (version < MIGRATIONS.length) {
    sql.exec(MIGRATIONS[version] as string);
    version += 1;
    sql.exec(`UPDATE schema_version SET version = ?`, version);
  }
}

/** Tables cleared by `POST /_sandbox/reset` (the schema stays). */
export const RESETTABLE_TABLES = ["calls", "faults", "grants", "codes", "tokens", "meta", "objects", "posts"] as const;
