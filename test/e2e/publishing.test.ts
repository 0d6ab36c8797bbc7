import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { launchBrowser, newUser } from "./browser.ts";
import { connectThroughSandbox, ownerWithWorkspace } from "./posting.ts";

let browser: Browser;
const appUrl = inject("appUrl");
const sandboxUrl = inject("sandboxUrl");

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test("a post scheduled 10 seconds ahead goes live on Facebook on time, and the page shows each step live", async () => {
  const context = await newUser(browser, appUrl, "Europe/Berlin");
  try {
    const page = await context.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Harbor Café", "UTC");
    await connectThroughSandbox(page, "Harbor Café", "Facebook");
    const text = `Fresh bread at the harbour ${Date.now()}`;
    // Scheduled through the API the composer uses, to the second (the composer's picker is per minute).
    const dueAt = Math.ceil((Date.now() + 10_000) / 1000) * 1000;
    const created = await page.evaluate(
      async ({ workspaceId, text, local }) => {
        const channels = (await (await fetch(`/api/workspaces/${workspaceId}/connections`)).json()) as { connections: { id: string; platform: string }[] };
        const facebook = channels.connections.find((c) => c.platform === "facebook");
        const res = await fetch(`/api/workspaces/${workspaceId}/posts`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ baseText: text, status: "scheduled", scheduledLocal: local, timezone: "UTC", targets: [{ connectionId: facebook?.id, format: "post", options: {} }] }),
        });
        return { status: res.status, body: (await res.json()) as { id: string; targets: { connectionId: string }[] } };
      },
      { workspaceId, text, local: new Date(dueAt).toISOString().slice(0, 19) },
    );
    expect(created.status).toBe(201);
    const connectionId = created.body.targets[0]!.connectionId;

    await page.goto(`/w/${workspaceId}/posts/${created.body.id}`);
    await page.getByRole("heading", { name: "Publishing" }).waitFor();
    const state = page.getByTestId(`target-state-${connectionId}`);
    await expect.poll(() => state.textContent(), { timeout: 5_000 }).toMatch(/Scheduled|Preparing|Ready/);
    // No reload from here on: every change arrives over the live socket.
    await page.getByTestId(`target-link-${connectionId}`).waitFor({ timeout: 30_000 });
    expect(await state.textContent()).toMatch(/Published/);
    const href = await page.getByTestId(`target-link-${connectionId}`).getAttribute("href");
    expect(href).toMatch(/^https:\/\/www\.facebook\.com\//);

    // The sandbox received the go-live call on time, exactly once.
    const posts = (await (await fetch(`${sandboxUrl}/_sandbox/posts?platform=facebook`)).json()) as { posts: { text: string; received_at: number }[] };
    const live = posts.posts.filter((p) => p.text === text);
    expect(live).toHaveLength(1);
    const lateness = live[0]!.received_at - dueAt;
    console.log(`lateness of the go-live call: ${lateness} ms`);
    expect(lateness).toBeGreaterThanOrEqual(0);
  } finally {
    await context.close();
  }
});
