import { Hono, type Context } from "hono";
import type { SandboxEnv } from "../app";
import { SANDBOX_APPS } from "../apps";
import type { GrantRow, SandboxStore, TokenRow } from "../store/store";
import { APP_REMOVED, checkToken, fieldsOf, graphError, graphParams, paged, pick, tokenOf } from "./graph-common";
import { META_BUSINESS, META_IG_ACCOUNTS, META_PAGES, META_USER, PAGE_WEBHOOK_FIELDS, type MetaPage } from "./meta-world";
import { metaTokenEndpoint, requestedScopes } from "./meta-oauth";
import { metaPublishRoutes, renderPublished } from "./meta-publish";
import { metaInboxRoutes } from "./meta-inbox";

type Ctx = Context<SandboxEnv>;
const APP_ID = SANDBOX_APPS.meta.clientId;
const APP_NAME = "Atelier (sandbox)";
const PAGE_TASKS = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"];
const V = "/:version{v[0-9]+\\.[0-9]+}";

type Caller = { token: TokenRow; grant: GrantRow; params: URLSearchParams; raw: string };

async function caller(c: Ctx): Promise<Caller | Response> {
  const params = await graphParams(c);
  const raw = tokenOf(c, params);
  const checked = checkToken(c, c.var.store, "meta", APP_ID, raw);
  if (!checked.ok) return checked.response;
  return { token: checked.token, grant: checked.grant, params, raw: raw ?? "" };
}

const isUser = (t: TokenRow) => t.subject?.startsWith("user") ?? false;
const has = (grant: GrantRow, scope: string) => grant.scopes.includes(scope);
const granted = (grant: GrantRow, assetId: string) => grant.assets.includes(assetId);

const nonexistingField = (c: Ctx, field: string) => graphError(c, { code: 100, message: `(#100) Tried accessing nonexisting field (${field}) on node type (Page)` });
const unsupportedGet = (c: Ctx, id: string) =>
  graphError(c, { code: 100, subcode: 33, type: "GraphMethodException", message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api` });
const missingPermission = (c: Ctx, scope: string) => graphError(c, { code: 200, message: `(#200) Requires ${scope} permission to manage the object` });

/**
 * One Page token per grant and Page. Derived from a long-lived user token it never expires; from a
 * short-lived one it dies with that token. Revoking the grant kills it (it is issued under the grant).
 */
function pageToken(store: SandboxStore, caller: Caller, pageId: string): string {
  const key = `meta:page_token:${caller.grant.id}:${pageId}`;
  const existing = store.meta(key);
  if (existing && store.check(existing, "access").ok) return existing;
  const lifetime = caller.token.subject === "user:long" || caller.token.expires_at === null ? null : caller.token.expires_at - store.now();
  const issued = store.issueToken("meta", "access", caller.grant.id, lifetime, `page:${pageId}`).token;
  store.setMeta(key, issued);
  return issued;
}

function pageNode(store: SandboxStore, caller: Caller, page: MetaPage, fields: Set<string>): Record<string, unknown> {
  const ig = page.igId && granted(caller.grant, page.igId) ? { id: page.igId } : undefined;
  return pick(
    {
      id: page.id,
      name: page.name,
      username: page.username,
      category: page.category,
      tasks: PAGE_TASKS,
      picture: { data: { height: 50, width: 50, is_silhouette: false, url: page.picture } },
      instagram_business_account: ig,
      access_token: fields.has("access_token") && isUser(caller.token) ? pageToken(store, caller, page.id) : undefined,
    },
    fields,
  );
}

function subscriptions(store: SandboxStore, pageId: string): Record<string, string[]> {
  return JSON.parse(store.meta(`meta:subscribed:${pageId}`) ?? "{}") as Record<string, string[]>;
}

/** `graph.facebook.com`: token exchange, the user, permissions, Pages, businesses, IG accounts, subscribed_apps. */
export function metaGraphRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .get(`${V}/oauth/access_token`, metaTokenEndpoint)
    .post(`${V}/oauth/access_token`, metaTokenEndpoint)
    // Inbox first: it observes comment creation and takes comment-only POST/DELETE /{id} before publishing.
    .route("/", metaInboxRoutes())
    // Page and Instagram publishing (feed, photos, videos, reels, containers, media_publish, comments, delete).
    .route("/", metaPublishRoutes())
    .get(`${V}/me`, async (c) => {
      const who = await caller(c);
      if (who instanceof Response) return who;
      const fields = fieldsOf(who.params, ["id", "name"]);
      const pageId = who.token.subject?.startsWith("page:") ? who.token.subject.slice(5) : null;
      const page = META_PAGES.find((p) => p.id === pageId);
      if (page) return c.json(pageNode(c.var.store, who, page, fields));
      return c.json(pick({ id: META_USER.id, name: META_USER.name, picture: { data: { url: null, is_silhouette: true } } }, fields));
    })
    .get(`${V}/me/permissions`, async (c) => {
      const who = await caller(c);
      if (who instanceof Response) return who;
      const requested = requestedScopes(c.var.store, who.grant.id).filter((s) => s !== "public_profile");
      const data = [{ permission: "public_profile", status: "granted" }, ...requested.map((permission) => ({ permission, status: has(who.grant, permission) ? "granted" : "declined" }))];
      return c.json({ data });
    })
    .delete(`${V}/me/permissions`, async (c) => {
      const who = await caller(c);
      if (who instanceof Response) return who;
      if (!isUser(who.token)) return nonexistingField(c, "permissions");
      // Real Graph de-authorizes the app for the person entirely (every grant); the sandbox revokes the
      // grant behind this token only, so parallel tests do not revoke each other's connections.
      c.var.store.revokeGrant(who.grant.id, APP_REMOVED);
      return c.json({ success: true });
    })
    .get(`${V}/me/accounts`, async (c) => {
      const who = await caller(c);
      if (who instanceof Response) return who;
      if (!isUser(who.token)) return nonexistingField(c, "accounts");
      if (!has(who.grant, "pages_show_list")) return c.json({ data: [] });
      const fields = fieldsOf(who.params, ["id", "name", "access_token", "category", "tasks"]);
      const pages = META_PAGES.filter((p) => p.businessId === null && granted(who.grant, p.id));
      return c.json(paged(c, pages.map((p) => pageNode(c.var.store, who, p, fields)), who.params, who.raw));
    })
    .get(`${V}/me/businesses`, async (c) => {
      const who = await caller(c);
      if (who instanceof Response) return who;
      if (!has(who.grant, "business_management")) return missingPermission(c, "business_management");
      const businesses = granted(who.grant, META_BUSINESS.id) ? [{ id: META_BUSINESS.id, name: META_BUSINESS.name }] : [];
      return c.json(paged(c, businesses, who.params, who.raw));
    })
    .get(`${V}/:id/owned_pages`, async (c) => {
      const who = await caller(c);
      if (who instanceof Response) return who;
      const id = c.req.param("id");
      if (id !== META_BUSINESS.id || !granted(who.grant, id)) return unsupportedGet(c, id);
      if (!has(who.grant, "business_management")) return missingPermission(c, "business_management");
      const fields = fieldsOf(who.params, ["id", "name"]);
      const pages = META_PAGES.filter((p) => p.businessId === id && granted(who.grant, p.id));
      return c.json(paged(c, pages.map((p) => pageNode(c.var.store, who, p, fields)), who.params, who.raw));
    })
    .on(["GET", "POST", "DELETE"], `${V}/:id/subscribed_apps`, async (c) => {
      const who = await caller(c);
      if (who instanceof Response) return who;
      const pageId = c.req.param("id");
      if (!META_PAGES.some((p) => p.id === pageId)) return unsupportedGet(c, pageId);
      if (who.token.subject !== `page:${pageId}`) return graphError(c, { code: 210, message: "(#210) A page access token is required to request this resource." });
      const store = c.var.store;
      const subs = subscriptions(store, pageId);
      if (c.req.method === "GET") return c.json({ data: Object.entries(subs).map(([id, fields]) => ({ link: "https://atelier.test/", name: APP_NAME, id, subscribed_fields: fields })) });
      if (!has(who.grant, "pages_manage_metadata")) return missingPermission(c, "pages_manage_metadata");
      if (c.req.method === "DELETE") delete subs[APP_ID];
      else {
        const fields = (who.params.get("subscribed_fields") ?? "").split(",").map((f) => f.trim()).filter(Boolean);
        if (fields.length === 0) return graphError(c, { code: 100, message: "(#100) The parameter subscribed_fields is required" });
        const bad = fields.find((f) => !PAGE_WEBHOOK_FIELDS.has(f));
        if (bad) return graphError(c, { code: 100, message: `(#100) Param subscribed_fields[0] must be one of {${[...PAGE_WEBHOOK_FIELDS].join(", ")}} - got "${bad}"` });
        subs[APP_ID] = fields;
      }
      store.setMeta(`meta:subscribed:${pageId}`, JSON.stringify(subs));
      return c.json({ success: true });
    })
    .get(`${V}/:id`, async (c) => {
      const who = await caller(c);
      if (who instanceof Response) return who;
      const id = c.req.param("id");
      const fields = fieldsOf(who.params, ["id", "name"]);
      const page = META_PAGES.find((p) => p.id === id);
      if (page && granted(who.grant, id)) return c.json(pageNode(c.var.store, who, page, fields));
      const ig = META_IG_ACCOUNTS.find((a) => a.id === id);
      if (ig && granted(who.grant, id)) {
        if (!has(who.grant, "instagram_basic")) return graphError(c, { code: 10, message: "(#10) Application does not have permission for this action" });
        return c.json(pick({ id: ig.id, username: ig.username, name: ig.name, profile_picture_url: ig.picture, followers_count: 1287, media_count: 64 }, fields));
      }
      if (id === META_BUSINESS.id && granted(who.grant, id)) return c.json(pick({ id, name: META_BUSINESS.name }, fields));
      return renderPublished(c, who, id) ?? unsupportedGet(c, id);
    });
}
