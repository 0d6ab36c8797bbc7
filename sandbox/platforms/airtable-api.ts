import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { SandboxEnv } from "../app";
import type { TokenCheck } from "../store/store";
import { SANDBOX_USER, type Asset } from "../world";

/** Sam's Airtable user id (`usr` + 14 characters, the real shape). */
export const AIRTABLE_USER_ID = "usrSbxSamSandbox1";

/** Sam's two bases; during consent Sam picks which ones Atelier may see. */
export const AIRTABLE_BASES = [
  { id: "appSbxContentCal1", name: "Content Calendar", permissionLevel: "create" },
  { id: "appSbxBrandAsset1", name: "Brand Assets", permissionLevel: "read" },
] as const;

export const AIRTABLE_ASSETS: Asset[] = AIRTABLE_BASES.map((b) => ({ id: b.id, kind: "airtable_base", name: b.name, detail: `Base (${b.permissionLevel})` }));

/**
 * Bases per page. Real pages are far larger (size undocumented); one base per page means every
 * client's `offset` loop is exercised with Sam's two bases.
 */
const BASES_PAGE_SIZE = 1;

/** Airtable's object error shape (`{error:{type,message}}`). */
export function airtableError(c: Context, status: number, type: string, message: string): Response {
  return c.json({ error: { type, message } }, status as ContentfulStatusCode);
}

function bearer(c: Context<SandboxEnv>): Extract<TokenCheck, { ok: true }> | Response {
  const header = c.req.header("authorization") ?? "";
  const check = header.startsWith("Bearer ") ? c.var.store.check(header.slice("Bearer ".length), "access") : null;
  if (!check?.ok) return airtableError(c, 401, "AUTHENTICATION_REQUIRED", "Authentication required");
  return check;
}

/** `api.airtable.com`: who am I and the granted bases (records are out of the connection flow's scope). */
export function airtableApiRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .get("/v0/meta/whoami", (c) => {
      const check = bearer(c);
      if (check instanceof Response) return check;
      const body: Record<string, unknown> = { id: AIRTABLE_USER_ID, scopes: check.grant.scopes };
      if (check.grant.scopes.includes("user.email:read")) body.email = SANDBOX_USER.email;
      return c.json(body);
    })
    .get("/v0/meta/bases", (c) => {
      const check = bearer(c);
      if (check instanceof Response) return check;
      if (!check.grant.scopes.includes("schema.bases:read")) {
        return airtableError(c, 403, "INVALID_PERMISSIONS", "You are not permitted to perform this operation because the token lacks the schema.bases:read scope.");
      }
      const granted = AIRTABLE_BASES.filter((b) => check.grant.assets.includes(b.id));
      // The offset is an opaque `itr…/<last base id>` iterator; anything else is refused like Airtable does.
      const offset = c.req.query("offset");
      let start = 0;
      if (offset !== undefined) {
        const lastId = /^itr[A-Za-z0-9]+\/(app[A-Za-z0-9]{14})$/.exec(offset)?.[1];
        const index = granted.findIndex((b) => b.id === lastId);
        if (index < 0) return airtableError(c, 422, "INVALID_OFFSET_VALUE", `The value of offset ${offset} is invalid.`);
        start = index + 1;
      }
      const page = granted.slice(start, start + BASES_PAGE_SIZE);
      const body: Record<string, unknown> = { bases: page.map((b) => ({ id: b.id, name: b.name, permissionLevel: b.permissionLevel })) };
      const last = page.at(-1);
      if (last && start + BASES_PAGE_SIZE < granted.length) body.offset = `itrSbx${start + BASES_PAGE_SIZE}/${last.id}`;
      return c.json(body);
    });
}
