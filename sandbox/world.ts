/**
 * The simulated world every sandbox platform serves: one person ("Sam Sandbox") who manages a few
 * assets on each platform. Ids have the real shapes (Meta ids are numeric strings, LinkedIn URNs …).
 * Platform modules read their assets from here; what a user granted is stored per grant.
 */
export const SANDBOX_USER = { id: "sbx-user-1", name: "Sam Sandbox", email: "sam@sandbox.test" } as const;

export type Asset = {
  id: string;
  kind: string;
  name: string;
  handle?: string;
  picture?: string;
  /** The asset this one hangs off (an Instagram account's Facebook Page, for instance). */
  parentId?: string;
  detail?: string;
};

/** A small avatar as a data URL, so the UI shows something without any network. */
export function avatar(initials: string, hue: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" rx="48" fill="hsl(${hue} 60% 45%)"/><text x="48" y="58" font-family="sans-serif" font-size="36" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}
