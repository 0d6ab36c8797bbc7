import { Hono, type Next } from "hono";
import type { SandboxEnv } from "../app";
import { fieldsOf, graphError, pick } from "./graph-common";
import { person } from "./meta-inbox-store";
import { hasScope, pageOfToken, publishCaller, unsupported, type Ctx } from "./meta-publish-common";
import { avatar } from "../world";
import { META_IG_ACCOUNTS } from "./meta-world";

/**
 * Who wrote: message webhooks carry only a page-scoped (PSID) or IG-scoped (IGSID) id, so the app asks
 * the User Profile API, `GET /{psid}?fields=first_name,last_name,profile_pic` (Messenger) or
 * `GET /{igsid}?fields=name,username,profile_pic` (Instagram), with the Page's token. Only people who
 * appeared through the sandbox's events are known; other ids go on to the generic `GET /{id}`.
 */
const V = "/:version{v[0-9]+\\.[0-9]+}";

async function profile(c: Ctx, next: Next): Promise<Response | void> {
  const id = c.req.param("id") ?? "";
  const known = person(c.var.store, id);
  if (!known) return next();
  const who = await publishCaller(c);
  if (who instanceof Response) return who;
  const pageId = known.platform === "facebook" ? known.accountId : META_IG_ACCOUNTS.find((a) => a.id === known.accountId)?.pageId;
  // A scoped id means something only to its own Page / IG account.
  if (!pageId || pageOfToken(who) !== pageId || !who.grant.assets.includes(known.accountId)) return unsupported(c, id);
  if (!hasScope(who, known.platform === "facebook" ? "pages_messaging" : "instagram_manage_messages")) return graphError(c, { code: 10, message: "(#10) Application does not have permission for this action" });
  const [first, ...rest] = known.name.split(" ");
  const picture = avatar(known.name.slice(0, 2).toUpperCase(), Number(id.slice(-3)) % 360);
  if (known.platform === "facebook") return c.json(pick({ id, name: known.name, first_name: first, last_name: rest.join(" "), profile_pic: picture }, fieldsOf(who.params, ["first_name", "last_name", "profile_pic"])));
  return c.json(pick({ id, name: known.name, username: known.username, profile_pic: picture }, fieldsOf(who.params, ["name", "username", "profile_pic"])));
}

export function metaInboxPeopleRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>().get(`${V}/:id{[0-9]+}`, profile);
}
