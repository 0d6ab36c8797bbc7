import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { formControlNames, launchBrowser, newUser } from "./browser.ts";
import { connectThroughSandbox, ownerWithWorkspace, uploadClip } from "./posting.ts";

let browser: Browser;
const appUrl = inject("appUrl");
const sandboxUrl = inject("sandboxUrl");

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface SandboxPost {
  id: string;
  text: string;
  data: Record<string, unknown>;
  deleted_at?: number | null;
}

async function sandboxPosts(query: string): Promise<SandboxPost[]> {
  const res = await fetch(`${sandboxUrl}/_sandbox/posts?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { posts: SandboxPost[] }).posts;
}

/** Video processing in the sandbox takes 5 s and more at scale 1; 0 makes it instant for this test. */
async function processingScale(scale: number): Promise<void> {
  const res = await fetch(`${sandboxUrl}/_sandbox/publishing/settings`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ processingScale: scale }) });
  expect(res.status).toBe(200);
}

/** Composes a YouTube video post in the composer and schedules it; resolves on the post's own page. */
async function composeYoutubePost(page: Page, title: string): Promise<void> {
  await page.getByRole("link", { name: "New post" }).click();
  await page.getByRole("heading", { level: 1, name: "New post" }).waitFor();
  await page.getByRole("checkbox", { name: /\(youtube\)$/ }).first().check();
  await page.getByLabel("Text", { exact: true }).fill("Boats leaving the harbour at first light.");
  await page.getByRole("button", { name: "Add from library" }).click();
  const library = page.getByRole("dialog", { name: "Add media from the library" });
  await library.getByRole("checkbox", { name: /harbour\.mp4/ }).check();
  await library.getByRole("button", { name: "Add 1 file" }).click();
  await page.getByRole("listitem").filter({ hasText: "harbour.mp4" }).waitFor();

  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Privacy", { exact: true }).selectOption({ label: "Unlisted" });
  await page.getByLabel("Audience (required by YouTube)").selectOption({ label: "No, it's not made for kids" });
  await page.getByRole("button", { name: "Choose a thumbnail" }).waitFor();
  await expect.poll(() => page.getByRole("region", { name: "Fix before scheduling" }).count()).toBe(0);
  expect(await formControlNames(page).then((controls) => controls.filter((c) => c.name === ""))).toEqual([]);

  const schedule = page.getByRole("button", { name: "Schedule", exact: true });
  await expect.poll(() => schedule.isEnabled()).toBe(true);
  await schedule.click();
  await page.getByRole("status").filter({ hasText: /^Scheduled for / }).waitFor();
  await page.waitForURL(/\/w\/[^/]+\/posts\/[^/]+$/);
}

test("a published YouTube video is edited from its post (only the title changes on YouTube), then deleted from the channel", { timeout: 150_000 }, async () => {
  const context = await newUser(browser, appUrl, "Europe/Lisbon");
  await processingScale(0);
  try {
    const page = await context.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Quay Films", "UTC");
    await connectThroughSandbox(page, "Quay Films", "YouTube");
    await uploadClip(page, workspaceId, "harbour.mp4");

    const title = `Harbour at dawn ${Date.now().toString(36)}`;
    await composeYoutubePost(page, title);

    // Post now: the channel goes live and the page follows it over the socket, without a reload.
    await page.getByTestId("post-now").click();
    const state = page.locator('[data-testid^="target-state-"]');
    await expect.poll(() => state.textContent(), { timeout: 90_000, interval: 500 }).toMatch(/Published/);
    const live = (await sandboxPosts("platform=youtube")).filter((p) => p.text === title);
    expect(live).toHaveLength(1);
    const videoId = live[0]!.id;

    // Edit on YouTube: the form opens on the title, loaded from YouTube.
    const edit = page.getByRole("button", { name: /^Edit on YouTube/ });
    await edit.click();
    const dialog = page.getByRole("dialog", { name: /^Edit on YouTube: / });
    const titleField = dialog.getByLabel("Title", { exact: true });
    await expect.poll(() => titleField.inputValue(), { timeout: 15_000 }).toBe(title);
    await expect.poll(() => titleField.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await dialog.getByLabel("Privacy", { exact: true }).inputValue()).toBe("unlisted");
    expect(await dialog.getByLabel("Audience (required by YouTube)").inputValue()).toBe("no");

    // Escape closes without saving; reopening starts again from YouTube's values.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await edit.click();
    await expect.poll(() => titleField.inputValue(), { timeout: 15_000 }).toBe(title);

    // A refused field: the server's sentence shows at the field, which takes focus; nothing reaches YouTube.
    await titleField.fill("Harbour <b>at dawn</b>");
    await dialog.getByRole("button", { name: "Save on YouTube" }).click();
    await dialog.getByText("A YouTube title cannot contain < or >.").waitFor();
    expect(await titleField.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => titleField.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await sandboxPosts("platform=youtube")).find((p) => p.id === videoId)?.text).toBe(title);

    const newTitle = `${title} (director's cut)`;
    await titleField.fill(newTitle);
    await dialog.getByRole("button", { name: "Save on YouTube" }).click();
    await page.getByRole("status").filter({ hasText: `Saved on YouTube: ${newTitle}.` }).waitFor({ timeout: 15_000 });
    await dialog.waitFor({ state: "hidden" });

    // YouTube has the new title; nothing else about the video changed.
    const [edited] = (await sandboxPosts("platform=youtube")).filter((p) => p.id === videoId);
    expect(edited?.text).toBe(newTitle);
    expect(JSON.stringify(edited?.data)).not.toContain(`"${title}"`);

    // Delete here and on the platforms: the dialog says what YouTube does, and the video leaves the channel.
    await page.getByTestId("post-delete").click();
    const remove = page.getByRole("dialog", { name: "Delete this post?" });
    await remove.getByText("The video is deleted from the channel permanently: its views and comments are lost.").waitFor();
    await remove.getByRole("radio", { name: /Also delete on the platforms/ }).check();
    await remove.getByText(/This cannot be undone on /).waitFor();
    await remove.getByRole("button", { name: "Delete post" }).click();
    await page.waitForURL(/\/w\/[^/]+\/calendar/);

    await expect.poll(async () => (await sandboxPosts("platform=youtube")).some((p) => p.id === videoId), { timeout: 15_000 }).toBe(false);
    const withDeleted = await sandboxPosts("platform=youtube&deleted=include");
    expect(withDeleted.filter((p) => p.id === videoId)).toHaveLength(1);
  } finally {
    await processingScale(1);
    await context.close();
  }
});
