import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// The same SQL files production applies with `wrangler d1 migrations apply`; applying is idempotent.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
