import { GRAPH, GraphSuccess, graphCall } from "./meta-graph";
import { META_ADAPTER_BASE, metaAuthorizeUrl, metaCaller, metaLogin, metaRefreshUnavailable, pageTokens, revokeMetaLogin } from "./meta-login";
import { ok } from "./oauth";
import type { ChannelCandidate, ConnectionAdapter, ScopeInfo } from "./types";

const NAME = "Facebook";

/** Webhook fields each connected Page is subscribed to (comments and posts, Messenger conversations). */
export const PAGE_WEBHOOK_FIELDS = ["feed", "messages", "message_echoes", "messaging_postbacks"] as const;

const SCOPES: readonly ScopeInfo[] = [
  { scope: "pages_show_list", purpose: "See the list of Pages you manage, so you can choose which to connect.", required: true },
  { scope: "pages_manage_posts", purpose: "Publish, schedule and delete posts on the Pages you connect.", required: true },
  { scope: "pages_read_engagement", purpose: "Read your Pages' posts, comments and followers to show them in Atelier.", required: true },
  { scope: "pages_manage_metadata", purpose: "Subscribe your Pages to notifications about new comments and messages.", required: true },
  { scope: "pages_manage_engagement", purpose: "Reply to, hide and delete comments on your Pages' posts from the inbox.", required: false },
  { scope: "pages_messaging", purpose: "Read and answer your Pages' Messenger conversations in the inbox.", required: false },
  { scope: "read_insights", purpose: "Read your Pages' statistics for the analytics view.", required: false },
  { scope: "business_management", purpose: "Find Pages that your business owns in Meta Business Manager.", required: false },
];

/** Facebook Pages through Facebook Login: one channel per Page the person shares, with its Page token. */
export const facebookAdapter: ConnectionAdapter = {
  ...META_ADAPTER_BASE,
  platform: "facebook",
  displayName: NAME,
  scopes: SCOPES,

  authorizeUrl: (ctx, { state }) => metaAuthorizeUrl(ctx, SCOPES, state),

  async exchangeCode(ctx, { code }) {
    const login = await metaLogin(ctx, NAME, code);
    if (!login.ok) return login;
    const channels = login.value.pages.map((page): ChannelCandidate => ({
      externalId: page.id,
      kind: "facebook_page",
      name: page.name,
      handle: page.username,
      avatarUrl: page.pictureUrl,
      tokens: pageTokens(page),
      metadata: { pageId: page.id, ...(page.instagramBusinessAccountId ? { instagramBusinessAccountId: page.instagramBusinessAccountId } : {}) },
    }));
    const { account, tokens, grantedScopes } = login.value;
    return ok({ account, tokens, grantedScopes, channels });
  },

  refresh: async () => metaRefreshUnavailable(NAME),
  revoke: (ctx, tokens) => revokeMetaLogin(ctx, NAME, tokens),

  /** Without the Page-level subscription no webhook events arrive for the Page (needs pages_manage_metadata). */
  async onConnected(ctx, channel) {
    const url = `${GRAPH}/${channel.externalId}/subscribed_apps?subscribed_fields=${PAGE_WEBHOOK_FIELDS.join(",")}`;
    const result = await graphCall(metaCaller(ctx, NAME), url, GraphSuccess, { token: channel.tokens.accessToken, method: "POST" });
    return result.ok ? ok(null) : result;
  },

  async onDisconnected(ctx, channel) {
    const result = await graphCall(metaCaller(ctx, NAME), `${GRAPH}/${channel.externalId}/subscribed_apps`, GraphSuccess, { token: channel.tokens.accessToken, method: "DELETE" });
    return result.ok ? ok(null) : result;
  },
};
