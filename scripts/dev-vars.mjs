import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes `.dev.vars` with fresh random local secrets when there is none. Never overwrites: a second
 * `npm start` must keep the sessions (and later the sealed tokens) of the first.
 */
export function ensureDevVars(root) {
  const path = join(root, ".dev.vars");
  if (existsSync(path)) return { path, created: false };
  const secret = () => randomBytes(32).toString("base64url");
  const lines = [
    "# Local secrets for `npm start`, generated once. Never commit this file.",
    `SESSION_SECRET=${secret()}`,
    "",
  ];
  writeFileSync(path, lines.join("\n"), { mode: 0o600 });
  return { path, created: true };
}
