import { SANDBOX_USER, avatar, type Asset } from "../world";

/**
 * Sam Sandbox's corner of Facebook: two Pages Sam manages directly, one Page owned by Sam's business
 * (reachable only through `/me/businesses` → `/{business}/owned_pages`), and two linked Instagram
 * business accounts. Ids are numeric strings of the real lengths.
 */
export const META_USER = { id: "10221234567890123", name: SANDBOX_USER.name } as const;

export type MetaPage = { id: string; name: string; username: string; category: string; picture: string; igId: string | null; businessId: string | null };
export type MetaIgAccount = { id: string; username: string; name: string; picture: string; pageId: string };

export const META_BUSINESS = { id: "203040506070809", name: "Northwind Holdings" } as const;

export const META_PAGES: MetaPage[] = [
  { id: "104938271234567", name: "Northwind Coffee", username: "northwindcoffee", category: "Coffee shop", picture: avatar("NC", 25), igId: "17841400000000001", businessId: null },
  { id: "104938271234568", name: "Northwind Bakery", username: "northwindbakery", category: "Bakery", picture: avatar("NB", 45), igId: null, businessId: null },
  { id: "104938271234569", name: "Northwind Roastery", username: "northwindroastery", category: "Food & beverage company", picture: avatar("NR", 15), igId: "17841400000000003", businessId: META_BUSINESS.id },
];

export const META_IG_ACCOUNTS: MetaIgAccount[] = [
  { id: "17841400000000001", username: "northwind.coffee", name: "Northwind Coffee", picture: avatar("nc", 330), pageId: "104938271234567" },
  { id: "17841400000000003", username: "northwind.roastery", name: "Northwind Roastery Co.", picture: avatar("nr", 300), pageId: "104938271234569" },
];

/** What the consent screen offers to share (Facebook Login for Business lets people pick each asset). */
export function metaAssets(): Asset[] {
  return [
    ...META_PAGES.map((p) => ({ id: p.id, kind: "facebook_page", name: p.name, handle: p.username, picture: p.picture, detail: p.businessId ? `Page owned by ${META_BUSINESS.name}` : "Facebook Page" })),
    ...META_IG_ACCOUNTS.map((a) => ({ id: a.id, kind: "instagram_account", name: a.name, handle: a.username, picture: a.picture, parentId: a.pageId, detail: "Instagram business account" })),
    { id: META_BUSINESS.id, kind: "business", name: META_BUSINESS.name, detail: "Business portfolio" },
  ];
}

/** Permissions the sandbox's Facebook Login knows, labelled the way the consent screen words them. */
export const META_PERMISSIONS: Record<string, string> = {
  public_profile: "Your name and profile picture",
  pages_show_list: "Show a list of the Pages you manage",
  pages_read_engagement: "Read content posted on your Pages",
  pages_read_user_content: "Read user content on your Pages",
  pages_manage_posts: "Create and manage content on your Pages",
  pages_manage_engagement: "Manage comments on your Pages",
  pages_manage_metadata: "Manage accounts, settings and webhooks for your Pages",
  pages_messaging: "Manage and access Page conversations in Messenger",
  read_insights: "Read Page insights",
  business_management: "Manage your business",
  instagram_basic: "Access profile and posts from the Instagram account connected to your Page",
  instagram_content_publish: "Create posts on the Instagram account connected to your Page",
  instagram_manage_comments: "Manage comments for the Instagram account connected to your Page",
  instagram_manage_insights: "Read insights for the Instagram account connected to your Page",
  instagram_manage_messages: "Manage messages for the Instagram account connected to your Page",
  ads_management: "Manage your ads",
  ads_read: "Read your ads",
};

/** Webhook fields a Page subscription accepts (the subset a scheduling tool uses, plus a few neighbours). */
export const PAGE_WEBHOOK_FIELDS = new Set(["feed", "messages", "message_echoes", "messaging_postbacks", "message_reactions", "message_deliveries", "message_reads", "mention", "ratings"]);
