/**
 * The object's SQLite schema, versioned and migrated in the constructor (SQL calls are synchronous, so
 * no request can observe a half-migrated store).
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, body TEXT NOT NULL)`,
  // The publish schedule: one row per target waiting to be handed to the publish queue at due − lead.
  `CREATE TABLE schedule (target_id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, due_at INTEGER NOT NULL, revision INTEGER NOT NULL, lead_ms INTEGER NOT NULL, start_at INTEGER NOT NULL)`,
  `CREATE INDEX schedule_start ON schedule (start_at)`,
  `CREATE INDEX schedule_due ON schedule (due_at)`,
];

export function migrate(sql: SqlStorage): void {
  sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  const row = sql.exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`).toArray()[0];
  let version = row ? Number(row.value) : 0;
  while (version < MIGRATIONS.length) {
    sql.exec(MIGRATIONS[version] as string);
    version += 1;
    sql.exec(`INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, String(version));
  }
}
