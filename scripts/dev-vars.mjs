import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SANDBOX_APP_CREDENTIALS } from "./sandbox-credentials.mjs";

const secret = () => randomBytes(32).toString("base64url");

/** What a local `.dev.vars` needs: random secrets, and the app credentials the local sandbox accepts. */
function wantedVars() {
  return {
    SESSION_SECRET: secret(),
    // AES-256-GCM key for sealing platform tokens: `kid:base64url(32 bytes)`.
    TOKEN_KEYS: `k1:${randomBytes(32).toString("base64url")}`,
    ...SANDBOX_APP_CREDENTIALS,
  };
}

function parse(text) {
  const vars = new Map();
  for (const line of text.split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) vars.set(match[1], match[2]);
  }
  return vars;
}

/**
 * Creates `.dev.vars` with fresh local secrets when there is none, and adds any variable a newer
 * version of Atelier needs. Existing values are never changed: a second `npm start` keeps the sessions
 * and sealed tokens of the first.
 */
export function ensureDevVars(root) {
  const path = join(root, ".dev.vars");
  const existing = existsSync(path) ? readFileSync(path, "utf8") : null;
  const present = parse(existing ?? "");
  const missing = Object.entries(wantedVars()).filter(([key]) => !present.has(key));
  if (existing !== null && missing.length === 0) return { path, created: false, added: [] };
  const header = existing === null ? "# Local secrets for `npm start`, generated once. Never commit this file.\n" : existing.endsWith("\n") ? existing : `${existing}\n`;
  writeFileSync(path, header + missing.map(([k, v]) => `${k}=${v}`).join("\n") + "\n", { mode: 0o600 });
  return { path, created: existing === null, added: missing.map(([k]) => k) };
}
