import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { launchBrowser, newUser } from "./browser.ts";
import { connectThroughSandbox, dayIn, ownerWithWorkspace, uploadClip } from "./posting.ts";

let browser: Browser;
const appUrl = inject("appUrl");

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Schedules a TikTok video through the API, as the composer would send it. */
async function scheduleTikTok(page: Page, workspaceId: string, text: string, scheduledLocal: string): Promise<string> {
  return page.evaluate(
    async ({ workspaceId, text, scheduledLocal }) => {
      const base = `/api/workspaces/${encodeURIComponent(workspaceId)}`;
      const { connections } = (await (await fetch(`${base}/connections`)).json()) as { connections: { id: string; platform: string }[] };
      const tiktok = connections.find((c) => c.platform === "tiktok");
      const { media } = (await (await fetch(`${base}/media`)).json()) as { media: { id: string }[] };
      const res = await fetch(`${base}/posts`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          baseText: text,
          mediaIds: [media[0]?.id],
          status: "scheduled",
          scheduledLocal,
          timezone: "Europe/Paris",
          targets: [{ connectionId: tiktok?.id, format: "video", options: { privacyLevel: "SELF_ONLY" } }],
        }),
      });
      const body = (await res.json()) as { id?: string; detail?: string };
      if (!res.ok || !body.id) throw new Error(`Scheduling failed (${res.status}): ${body.detail ?? ""}`);
      return body.id;
    },
    { workspaceId, text, scheduledLocal },
  );
}

const chipIn = (page: Page, day: string, text: string) => page.locator(`[data-day="${day}"] .post-chip`).filter({ hasText: text });

test("a scheduled post sits on its day in the workspace's zone; dragging it to another day reschedules it at the same time", async () => {
  const context = await newUser(browser, appUrl, "Europe/Paris");
  try {
    const page = await context.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Orbit Café", "Europe/Paris");
    await connectThroughSandbox(page, "Orbit Café", "TikTok");
    await uploadClip(page, workspaceId);
    const from = dayIn("Europe/Paris", 10);
    const to = dayIn("Europe/Paris", 11);
    await scheduleTikTok(page, workspaceId, "Latte art workshop", `${from}T10:30`);

    await page.getByRole("navigation", { name: "Orbit Café sections" }).getByRole("link", { name: "Calendar" }).click();
    await page.getByRole("heading", { level: 1, name: "Calendar" }).waitFor();
    // Open the month of the post (it may be next month).
    await page.goto(`/w/${workspaceId}/calendar?view=month&day=${from}`);
    const chip = chipIn(page, from, "Latte art workshop");
    await chip.waitFor();
    expect(await chip.innerText()).toMatch(/10:30 AM/);
    await page.locator(".month-cell.today, .month-cell").first().waitFor();

    await chip.dragTo(page.locator(`[data-day="${to}"]`));
    await chipIn(page, to, "Latte art workshop").waitFor();
    await expect.poll(() => chipIn(page, from, "Latte art workshop").count()).toBe(0);

    // The move was saved: it is still there after a reload, at the same time of day.
    await expect
      .poll(async () => {
        const posts = await page.evaluate(async (path) => (await (await fetch(path)).json()) as { posts: { scheduledLocal: string | null }[] }, `/api/workspaces/${workspaceId}/posts`);
        return posts.posts[0]?.scheduledLocal?.slice(0, 16);
      })
      .toBe(`${to}T10:30`);
    await page.reload();
    const moved = chipIn(page, to, "Latte art workshop");
    await moved.waitFor();
    expect(await moved.innerText()).toMatch(/10:30 AM/);
    expect(await chipIn(page, from, "Latte art workshop").count()).toBe(0);

    // The keyboard alternative: "Move to…" back to the first day at 11:00.
    await page.getByRole("button", { name: "Move “Latte art workshop” to…" }).click();
    await page.getByLabel("Date", { exact: true }).fill(from);
    await page.getByLabel("Time", { exact: true }).fill("11:00");
    await page.getByRole("button", { name: "Move", exact: true }).click();
    const back = chipIn(page, from, "Latte art workshop");
    await back.waitFor();
    expect(await back.innerText()).toMatch(/11:00 AM/);

    // A move the server refuses (into the past) is explained, and the post snaps back.
    await page.getByRole("button", { name: "Move “Latte art workshop” to…" }).click();
    await page.getByLabel("Date", { exact: true }).fill(dayIn("Europe/Paris", -1));
    await page.getByRole("button", { name: "Move", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "The post was not moved:" }).filter({ hasText: "Choose a time in the future to schedule this post." }).waitFor();
    await chipIn(page, from, "Latte art workshop").waitFor();

    // Clicking the post opens it in the composer.
    await back.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "Edit post" }).waitFor();
    expect(await page.getByLabel("Text", { exact: true }).inputValue()).toBe("Latte art workshop");
  } finally {
    await context.close();
  }
});

test("a teammate's change appears on an open calendar without reloading", async () => {
  const context = await newUser(browser, appUrl, "Europe/Paris");
  try {
    const page = await context.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Tide Books", "Europe/Paris");
    await connectThroughSandbox(page, "Tide Books", "TikTok");
    await uploadClip(page, workspaceId);
    const day = dayIn("Europe/Paris", 4);
    await page.goto(`/w/${workspaceId}/calendar?view=week&day=${day}`);
    await page.getByRole("heading", { level: 1, name: "Calendar" }).waitFor();

    // Another tab of the same workspace (a teammate's view) schedules a post.
    const other = await context.newPage();
    await other.goto(`/w/${workspaceId}`);
    await scheduleTikTok(other, workspaceId, "Poetry evening", `${day}T18:00`);
    await page.locator(`[data-slot="${day}T18"] .post-chip`).filter({ hasText: "Poetry evening" }).waitFor();
    await other.close();
  } finally {
    await context.close();
  }
});
