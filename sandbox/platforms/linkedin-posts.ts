import { Hono } from "hono";
import { z } from "zod";
import type { SandboxEnv } from "../app";
import type { SandboxPost, SandboxStore } from "../store/store";
import { imageStatus, linkedInImage, linkedInVideo, videoStatus } from "./linkedin-assets";
import { parseLittleText } from "./linkedin-little-text";
import { accessDenied, bearer, jsonBody, mayRead, mayWrite, newShareUrn, requireProtocol2, restError, unprocessable, urnParam, type Ctx } from "./linkedin-rest";

/**
 * LinkedIn's Posts API (linkedin.md §4): create (201, the URN only in `x-restli-id`, empty body), the
 * `q=author` finder (newest first), read and delete. Commentary is parsed as little text, so a stray
 * reserved character silently truncates it, as on LinkedIn.
 */
const COMMENTARY_MAX = 3000;
/**
 * Posts per author per UTC day. LinkedIn's daily ceilings are real but unpublished (linkedin.md §9);
 * 150 is the sandbox's choice. Throttled calls get 429 with no Retry-After header.
 */
const POSTS_PER_DAY = 150;
const DAY_MS = 86_400_000;

const MediaRef = z.object({ id: z.string(), altText: z.string().optional(), title: z.string().optional() });
const PostBody = z.object({
  author: z.string(),
  commentary: z.string().default(""),
  visibility: z.enum(["PUBLIC", "CONNECTIONS", "LOGGED_IN"]),
  distribution: z.object({ feedDistribution: z.enum(["MAIN_FEED", "NONE"]), targetEntities: z.array(z.unknown()).default([]), thirdPartyDistributionChannels: z.array(z.unknown()).default([]) }),
  lifecycleState: z.string(),
  isReshareDisabledByAuthor: z.boolean().default(false),
  content: z.object({ media: MediaRef.optional(), multiImage: z.object({ images: z.array(MediaRef) }).optional() }).optional(),
});
type PostBody = z.infer<typeof PostBody>;

type Kind = "text" | "image" | "images" | "video";

/** Checks each referenced asset: it exists, belongs to the author and is AVAILABLE (linkedin.md §4.1, §12). */
function checkMedia(c: Ctx, store: SandboxStore, body: PostBody): { kind: Kind; media: string[] } | Response {
  const content = body.content;
  if (!content || (!content.media && !content.multiImage)) return { kind: "text", media: [] };
  if (content.media && content.multiImage) return unprocessable(c, "/content", "only one of media and multiImage may be set");
  const refs = content.media ? [{ ref: content.media, field: "/content/media/id" }] : (content.multiImage?.images ?? []).map((ref, i) => ({ ref, field: `/content/multiImage/images/${i}/id` }));
  if (content.multiImage && (refs.length < 2 || refs.length > 20)) return unprocessable(c, "/content/multiImage/images", "a multi-image post needs 2 to 20 images");
  let kind: Kind = content.multiImage ? "images" : "image";
  for (const { ref, field } of refs) {
    const image = ref.id.startsWith("urn:li:image:") ? linkedInImage(store, ref.id) : null;
    const video = !content.multiImage && ref.id.startsWith("urn:li:video:") ? linkedInVideo(store, ref.id) : null;
    if (!image && !video) return unprocessable(c, field, `${ref.id} is not an image${content.multiImage ? "" : " or video"} URN that exists`);
    const owner = image?.data.owner ?? video?.data.owner;
    if (owner !== body.author) return unprocessable(c, field, `${ref.id} is owned by ${owner ?? "someone else"}, not by the author ${body.author}`);
    const status = image ? imageStatus(store, image.data) : videoStatus(store, video!.data);
    if (status !== "AVAILABLE") return unprocessable(c, field, `Media ${ref.id} is not ready to be used (status: ${status})`);
    if (video) kind = "video";
  }
  return { kind, media: refs.map((r) => r.ref.id) };
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

async function createPost(c: Ctx): Promise<Response> {
  const refused = await requireProtocol2(c);
  if (refused) return refused;
  const caller = bearer(c);
  if (caller instanceof Response) return caller;
  const parsed = PostBody.safeParse(await jsonBody(c));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return unprocessable(c, `/${issue?.path.join("/") ?? ""}`, issue?.message ?? "invalid body");
  }
  const body = parsed.data;
  const store = c.var.store;
  if (!mayWrite(caller, body.author)) return accessDenied(c, "partnerApiPostsExternal.CREATE");
  if (store.publishing.countPostsSince("linkedin", body.author, startOfUtcDay(store.now())) >= POSTS_PER_DAY) {
    return restError(c, 429, "TOO_MANY_REQUESTS", "Resource level throttle MEMBER DAY limit for calls to this resource is reached.", 101);
  }
  if (body.lifecycleState !== "PUBLISHED") return unprocessable(c, "/lifecycleState", "the sandbox simulates PUBLISHED posts only");
  if (body.visibility === "CONNECTIONS" && !body.author.startsWith("urn:li:person:")) return unprocessable(c, "/visibility", "CONNECTIONS visibility is only allowed for member authors");
  const little = parseLittleText(body.commentary);
  if ([...little.text].length > COMMENTARY_MAX) return unprocessable(c, "/commentary", `length of commentary exceeds the maximum allowed ${COMMENTARY_MAX}`);
  const media = checkMedia(c, store, body);
  if (media instanceof Response) return media;
  if (media.kind === "text" && !little.text.trim()) return unprocessable(c, "/commentary", "a post without content needs commentary");

  const urn = newShareUrn(store);
  store.publishing.recordPost({
    id: urn,
    platform: "linkedin",
    accountId: body.author,
    kind: media.kind,
    text: little.text,
    media: media.media,
    permalink: `https://www.linkedin.com/feed/update/${urn}/`,
    data: { author: body.author, commentary: little.commentary, truncated: little.truncated, visibility: body.visibility, distribution: body.distribution, content: body.content ?? null, isReshareDisabledByAuthor: body.isReshareDisabledByAuthor },
    receivedAt: c.var.receivedAt,
  });
  return c.body(null, 201, { "x-restli-id": urn });
}

/** A post as the Posts API returns it; `commentary` in little-text form as kept (whether LinkedIn returns it escaped is unverified). */
function postJson(post: SandboxPost): Record<string, unknown> {
  const d = post.data;
  return {
    id: post.id,
    author: post.account_id,
    commentary: d.commentary ?? "",
    visibility: d.visibility,
    distribution: d.distribution,
    ...(d.content ? { content: d.content } : {}),
    lifecycleState: "PUBLISHED",
    lifecycleStateInfo: { isEditedByAuthor: false },
    isReshareDisabledByAuthor: d.isReshareDisabledByAuthor ?? false,
    createdAt: post.published_at,
    publishedAt: post.published_at,
    lastModifiedAt: post.published_at,
  };
}

function livePost(store: SandboxStore, urn: string): SandboxPost | null {
  const post = store.publishing.post(urn);
  return post && post.platform === "linkedin" && post.deleted_at === null ? post : null;
}

export function postRoutes(): Hono<SandboxEnv> {
  return new Hono<SandboxEnv>()
    .post("/rest/posts", createPost)
    .get("/rest/posts", async (c) => {
      const refused = await requireProtocol2(c);
      if (refused) return refused;
      const caller = bearer(c);
      if (caller instanceof Response) return caller;
      if (c.req.query("q") !== "author") return restError(c, 400, "BAD_REQUEST", "Unsupported finder: use q=author", 100);
      const author = c.req.query("author") ?? "";
      if (!mayRead(caller, author)) return accessDenied(c, "partnerApiPostsExternal.FINDER-author");
      const sortBy = c.req.query("sortBy") ?? "LAST_MODIFIED";
      if (sortBy !== "LAST_MODIFIED" && sortBy !== "CREATED") return restError(c, 400, "BAD_REQUEST", "sortBy must be LAST_MODIFIED or CREATED", 100);
      const start = Math.max(0, Number(c.req.query("start") ?? "0") || 0);
      const count = Math.min(100, Math.max(1, Number(c.req.query("count") ?? "10") || 10));
      // Posts are never edited in the sandbox, so both orders are newest first.
      const all = c.var.store.publishing.posts({ platform: "linkedin", accountId: author });
      return c.json({ elements: all.slice(start, start + count).map(postJson), paging: { start, count, total: all.length, links: [] } });
    })
    .get("/rest/posts/:urn", (c) => {
      const caller = bearer(c);
      if (caller instanceof Response) return caller;
      const urn = urnParam(c.req.param("urn"));
      const post = livePost(c.var.store, urn);
      if (!post) return restError(c, 404, "NOT_FOUND", `Post ${urn} not found`, 100);
      if (!mayRead(caller, post.account_id)) return accessDenied(c, "partnerApiPostsExternal.GET");
      return c.json(postJson(post));
    })
    .delete("/rest/posts/:urn", (c) => {
      const caller = bearer(c);
      if (caller instanceof Response) return caller;
      const urn = urnParam(c.req.param("urn"));
      const post = livePost(c.var.store, urn);
      if (!post) return restError(c, 404, "NOT_FOUND", `Post ${urn} not found`, 100);
      if (!mayWrite(caller, post.account_id)) return accessDenied(c, "partnerApiPostsExternal.DELETE");
      c.var.store.publishing.deletePost(urn);
      return c.body(null, 204);
    });
}
