import type { Page } from "playwright-core";
import { expect, inject } from "vitest";

/** Helpers the inbox and rules browser tests share: API calls from inside the page, a post published through the app. */
const sandboxUrl = inject("sandboxUrl");

export type SandboxPost = { id: string; account_id: string; text: string };

/** Calls the app's API from inside the page (its session cookie and Origin), answering status and JSON. */
export function apiFromPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, { method, headers: body === undefined ? {} : { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    },
    { method, path, body },
  );
}

/** Publishes a Facebook post through the app's scheduler (due in 2 s) and resolves with the sandbox's copy. */
export async function publishFacebookPost(page: Page, workspaceId: string, text: string): Promise<SandboxPost> {
  const channels = await apiFromPage(page, "GET", `/api/workspaces/${workspaceId}/connections`);
  const facebook = (channels.body.connections as { id: string; platform: string }[]).find((c) => c.platform === "facebook");
  expect(facebook).toBeDefined();
  const dueAt = Math.ceil((Date.now() + 2_000) / 1000) * 1000;
  const created = await apiFromPage(page, "POST", `/api/workspaces/${workspaceId}/posts`, {
    baseText: text,
    status: "scheduled",
    scheduledLocal: new Date(dueAt).toISOString().slice(0, 19),
    timezone: "UTC",
    targets: [{ connectionId: facebook?.id, format: "post", options: {} }],
  });
  expect(created.status).toBe(201);
  let live: SandboxPost | undefined;
  await expect
    .poll(
      async () => {
        const posts = (await (await fetch(`${sandboxUrl}/_sandbox/posts?platform=facebook`)).json()) as { posts: SandboxPost[] };
        live = posts.posts.find((p) => p.text === text);
        return live !== undefined;
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);
  return live as SandboxPost;
}
