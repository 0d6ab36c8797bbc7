import { z } from "zod";
import { withQuery } from "./http";
import { GRAPH, graphCall } from "./meta-graph";
import { META_ADAPTER_BASE, metaAuthorizeUrl, metaCaller, metaLogin, metaRefreshUnavailable, pageTokens, revokeMetaLogin } from "./meta-login";
import { fail, ok } from "./oauth";
import type { ChannelCandidate, ConnectionAdapter, ScopeInfo } from "./types";

const NAME = "Instagram";

const SCOPES: readonly ScopeInfo[] = [
  { scope: "instagram_basic", purpose: "See your Instagram professional account's profile and posts.", required: true },
  { scope: "instagram_content_publish", purpose: "Publish posts, carousels, Reels and Stories to the accounts you connect.", required: true },
  { scope: "pages_show_list", purpose: "See the Facebook Pages your Instagram accounts are linked to.", required: true },
  { scope: "pages_read_engagement", purpose: "Read the linked Pages, which Instagram's API requires to reach the accounts.", required: true },
  { scope: "instagram_manage_comments", purpose: "Read, reply to, hide and delete comments from the inbox.", required: false },
  { scope: "instagram_manage_insights", purpose: "Read your accounts' and posts' statistics for the analytics view.", required: false },
  { scope: "instagram_manage_messages", purpose: "Read and answer Instagram direct messages in the inbox.", required: false },
  { scope: "business_management", purpose: "Find Instagram accounts linked to Pages that your business owns.", required: false },
];

const IgAccount = z.object({ id: z.string(), username: z.string(), name: z.string().optional(), profile_picture_url: z.string().optional() });

/**
 * Instagram professional accounts through Facebook Login (the same Meta app as Facebook): one channel
 * per Instagram account linked to a shared Page. The Page token is the channel's token; publishing
 * and comment moderation both accept it.
 */
export const instagramAdapter: ConnectionAdapter = {
  ...META_ADAPTER_BASE,
  platform: "instagram",
  displayName: NAME,
  scopes: SCOPES,

  authorizeUrl: (ctx, { state }) => metaAuthorizeUrl(ctx, SCOPES, state),

  async exchangeCode(ctx, { code }) {
    const login = await metaLogin(ctx, NAME, code);
    if (!login.ok) return login;
    const { account, tokens, grantedScopes, pages } = login.value;
    const linked = pages.filter((page) => page.instagramBusinessAccountId !== null);
    // Graph would answer each profile read with a bare "(#10) no permission"; saying which one is kinder.
    if (linked.length > 0 && !grantedScopes.includes("instagram_basic")) {
      return fail({ kind: "reauth", message: `${NAME} needs the permission “instagram_basic” to see your accounts. Connect again and leave that permission ticked.` });
    }
    const channels: ChannelCandidate[] = [];
    for (const page of linked) {
      const igUserId = page.instagramBusinessAccountId as string;
      const profile = await graphCall(metaCaller(ctx, NAME), withQuery(`${GRAPH}/${igUserId}`, { fields: "id,username,name,profile_picture_url" }), IgAccount, { token: tokens.accessToken });
      if (!profile.ok) return profile;
      channels.push({
        externalId: profile.value.id,
        kind: "instagram_account",
        name: profile.value.name ?? profile.value.username,
        handle: profile.value.username,
        avatarUrl: profile.value.profile_picture_url ?? null,
        tokens: pageTokens(page),
        metadata: { igUserId: profile.value.id, pageId: page.id },
      });
    }
    return ok({ account, tokens, grantedScopes, channels });
  },

  refresh: async () => metaRefreshUnavailable(NAME),
  revoke: (ctx, tokens) => revokeMetaLogin(ctx, NAME, tokens),
};
