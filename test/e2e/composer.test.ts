import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { formControlNames, launchBrowser, newUser } from "./browser.ts";
import { connectThroughSandbox, dayIn, ownerWithWorkspace, uploadClip } from "./posting.ts";

let browser: Browser;
const appUrl = inject("appUrl");

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test("composing for Instagram and TikTok shows each channel's problems as they happen, and schedules once they are fixed", async () => {
  // The viewer is in New York; the workspace plans in Paris.
  const context = await newUser(browser, appUrl, "America/New_York");
  try {
    const page = await context.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Lumen Studio", "Europe/Paris");
    await connectThroughSandbox(page, "Lumen Studio", "Instagram");
    await connectThroughSandbox(page, "Lumen Studio", "TikTok");
    await uploadClip(page, workspaceId, "teaser.mp4");

    await page.getByRole("link", { name: "New post" }).click();
    await page.getByRole("heading", { level: 1, name: "New post" }).waitFor();
    const instagram = page.getByRole("checkbox", { name: /\(instagram\)$/ }).first();
    const tiktok = page.getByRole("checkbox", { name: /\(tiktok\)$/ }).first();
    await instagram.check();
    await tiktok.check();
    const problems = page.getByRole("region", { name: "Fix before scheduling" });
    const schedule = page.getByRole("button", { name: "Schedule", exact: true });

    // Too long for Instagram (2,200 characters) and TikTok; no video; no TikTok audience chosen.
    await page.getByLabel("Text", { exact: true }).fill(`Opening night!\n${"x".repeat(2285)}`);
    await problems.getByText("Instagram allows at most 2,200 characters here; this text has 2,300.").waitFor();
    await problems.getByText("Choose who can watch this TikTok video: everyone, friends, followers or only you.").waitFor();
    expect(await schedule.isDisabled()).toBe(true);
    await page.getByText(/^Schedule is unavailable: Fix the problems on 2 channels first\.$/).waitFor();
    expect(await page.getByText("2,300/2,200 characters").count()).toBeGreaterThan(0);

    // A problem links to its field: the TikTok audience select takes focus.
    await problems.getByRole("link", { name: "Choose who can watch this TikTok video: everyone, friends, followers or only you." }).click();
    const audience = page.getByLabel("Who can view this video");
    await expect.poll(() => audience.evaluate((el) => el === document.activeElement)).toBe(true);
    await audience.selectOption({ label: "Only me" });

    await page.getByLabel("Text", { exact: true }).fill("Opening night!\nDoors at 8.");
    await page.getByRole("button", { name: "Add from library" }).click();
    const dialog = page.getByRole("dialog", { name: "Add media from the library" });
    await dialog.getByRole("checkbox", { name: /teaser\.mp4/ }).check();
    await dialog.getByRole("button", { name: "Add 1 file" }).click();
    await page.getByRole("listitem").filter({ hasText: "teaser.mp4" }).waitFor();
    // A video turns the Instagram post into a reel.
    expect(await page.getByLabel("Format").first().inputValue()).toBe("reel");
    await expect.poll(() => problems.count()).toBe(0);

    // Previews show each channel with the text's line breaks.
    const preview = page.getByRole("article", { name: /^Preview for / }).first();
    expect(await preview.locator(".preview-text").innerText()).toBe("Opening night!\nDoors at 8.");

    // 09:00 in Paris, shown with the viewer's own clock.
    const day = dayIn("Europe/Paris", 3);
    await page.getByLabel("Date", { exact: true }).fill(day);
    await page.getByLabel("Time", { exact: true }).fill("09:00");
    await page.getByText(/9:00 AM in Europe\/Paris = .*3:00 AM your time \(America\/New_York\)/).waitFor();

    expect(await formControlNames(page).then((controls) => controls.filter((c) => c.name === ""))).toEqual([]);
    await expect.poll(() => schedule.isEnabled()).toBe(true);
    await schedule.click();
    await page.getByRole("status").filter({ hasText: /^Scheduled for / }).waitFor();
    await page.waitForURL(/\/w\/[^/]+\/posts\/[^/]+$/);

    // The server stored it as scheduled, at 09:00 Paris time.
    const postId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const stored = await page.evaluate(async (path) => (await fetch(path)).json(), `/api/workspaces/${workspaceId}/posts/${postId}`);
    expect(stored).toMatchObject({ status: "scheduled", scheduledLocal: expect.stringMatching(new RegExp(`^${day}T09:00`)), timezone: "Europe/Paris" });
    expect(stored.targets).toHaveLength(2);
  } finally {
    await context.close();
  }
});
