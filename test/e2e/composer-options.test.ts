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

async function newPost(page: Page): Promise<void> {
  await page.getByRole("link", { name: "New post" }).click();
  await page.getByRole("heading", { level: 1, name: "New post" }).waitFor();
}

/** The sandbox's TikTok creator settings (`{reset: true}` restores the defaults). */
async function tiktokCreator(settings: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sandboxUrl}/_sandbox/tiktok/creator`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(settings) });
  expect(res.status).toBe(200);
}

test("a Threads post gets a reply chain edited item by item, and LinkedIn says who posts and offers connections only to a person", { timeout: 120_000 }, async () => {
  const context = await newUser(browser, appUrl);
  try {
    const page = await context.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Tidewater Café", "Europe/Paris");
    await connectThroughSandbox(page, "Tidewater Café", "Threads");
    await connectThroughSandbox(page, "Tidewater Café", "LinkedIn");
    await newPost(page);
    await page.getByRole("checkbox", { name: /\(threads\)$/ }).first().check();
    await page.getByLabel("Text", { exact: true }).fill("We open the terrace on Saturday.");

    const chain = page.getByRole("group", { name: "Replies in the thread" });
    const add = chain.getByRole("button", { name: "Add a post to the thread" });
    await add.click();
    const first = chain.getByLabel("Reply 1 of 1", { exact: true });
    await expect.poll(() => first.evaluate((el) => el === document.activeElement)).toBe(true);

    // Too long: the live count and the validator's sentence show at the item itself.
    await first.fill("x".repeat(501));
    const item1 = chain.getByRole("listitem").nth(0);
    await item1.getByText("501/500 characters").waitFor();
    await item1.getByText("Each post of a Threads thread can have at most 500 characters.").waitFor();
    await first.fill("Breakfast from 8.");

    await add.click();
    await chain.getByLabel("Reply 2 of 2", { exact: true }).fill("Dogs welcome.");
    await expect.poll(() => item1.getByText("Each post of a Threads thread").count()).toBe(0);

    // Reorder with the keyboard-reachable buttons: focus follows the moved post.
    await chain.getByRole("button", { name: "Move reply 2 up" }).click();
    expect(await chain.getByLabel("Reply 1 of 2", { exact: true }).inputValue()).toBe("Dogs welcome.");
    expect(await chain.getByLabel("Reply 2 of 2", { exact: true }).inputValue()).toBe("Breakfast from 8.");
    await expect.poll(() => chain.getByRole("button", { name: "Move reply 1 down" }).evaluate((el) => el === document.activeElement)).toBe(true);

    await add.click();
    await chain.getByLabel("Reply 3 of 3", { exact: true }).fill("Spare");
    await chain.getByRole("button", { name: "Remove reply 3" }).click();
    await expect.poll(() => chain.getByRole("listitem").count()).toBe(2);
    await expect.poll(() => chain.getByLabel("Reply 2 of 2", { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);

    // LinkedIn: the person's profile may post to connections only; an organization's page may not.
    const member = page.getByRole("checkbox", { name: /^Sam Sandbox \(linkedin\)$/ });
    const organization = page.getByRole("checkbox", { name: /^Sandbox Bakery Co\. \(linkedin\)$/ });
    await member.check();
    await organization.check();
    const memberOptions = page.getByRole("group", { name: "Sam Sandbox", exact: true }).filter({ hasText: "personal profile" });
    const organizationOptions = page.getByRole("group", { name: "Sandbox Bakery Co.", exact: true });
    await memberOptions.getByText("Posts as Sam Sandbox (a personal profile).").waitFor();
    await organizationOptions.getByText("Posts as the organization Sandbox Bakery Co. (its LinkedIn Page), not as you.").waitFor();
    const optionsOf = (group: typeof memberOptions) => group.getByLabel("Who can see this post").locator("option").allInnerTexts();
    expect(await optionsOf(memberOptions)).toEqual(["Anyone", "Signed-in LinkedIn members", "Your connections only"]);
    expect(await optionsOf(organizationOptions)).toEqual(["Anyone", "Signed-in LinkedIn members"]);
    expect(await formControlNames(page).then((controls) => controls.filter((c) => c.name === ""))).toEqual([]);

    // The chain is stored with the post, in the order shown.
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(/\/w\/[^/]+\/posts\/[^/]+$/);
    const postId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    const stored = (await page.evaluate(async (path) => (await fetch(path)).json(), `/api/workspaces/${workspaceId}/posts/${postId}`)) as { targets: { platform: string; options: Record<string, unknown> }[] };
    expect(stored.targets.find((t) => t.platform === "threads")?.options.chain).toEqual(["Dogs welcome.", "Breakfast from 8."]);
  } finally {
    await context.close();
  }
});

test("TikTok's options follow the creator's settings: who posts, only their privacy levels, switches they turned off, their length limit, and inbox drafts", { timeout: 120_000 }, async () => {
  const context = await newUser(browser, appUrl);
  await tiktokCreator({ privateAccount: true, commentDisabled: true, maxVideoPostDurationSec: 5 });
  try {
    const page = await context.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Reel Bakery", "Europe/Paris");
    await connectThroughSandbox(page, "Reel Bakery", "TikTok");
    await uploadClip(page, workspaceId, "knead.mp4");
    await newPost(page);
    await page.getByRole("checkbox", { name: /\(tiktok\)$/ }).first().check();
    await page.getByRole("button", { name: "Add from library" }).click();
    const library = page.getByRole("dialog", { name: "Add media from the library" });
    await library.getByRole("checkbox", { name: /knead\.mp4/ }).check();
    await library.getByRole("button", { name: "Add 1 file" }).click();

    await page.getByText("Posting to TikTok as").waitFor({ timeout: 15_000 });
    // A private account has no "Everyone"; nothing is preselected.
    const privacy = page.getByLabel("Who can view this video");
    expect(await privacy.locator("option").allInnerTexts()).toEqual(["Choose who can view…", "Friends", "Followers", "Only me"]);
    expect(await privacy.inputValue()).toBe("");
    const comments = page.getByRole("switch", { name: "Allow comments" });
    expect(await comments.isDisabled()).toBe(true);
    expect(await comments.isChecked()).toBe(false);
    await page.getByText(/Turned off in .+'s TikTok settings\./).first().waitFor();
    await page.getByText(/^⚠ This video is 10 s long; .+ can post videos of at most 5 s on TikTok\.$/).waitFor();

    // Commercial content: TikTok's wording, and branded content cannot be private.
    await page.getByRole("switch", { name: "Disclose video content" }).check();
    await page.getByText("You need to indicate if your content promotes yourself, a third party, or both.").waitFor();
    await page.getByRole("checkbox", { name: /^Branded content/ }).check();
    await page.getByText("Your video will be labeled as “Paid partnership”.").waitFor();
    await page.getByText(/By posting, you agree to TikTok's Branded Content Policy and Music Usage Confirmation\./).waitFor();
    expect(await privacy.locator("option", { hasText: "Only me" }).isDisabled()).toBe(true);

    // An inbox draft: the creator picks the audience in the app, so the picker gives way to that explanation.
    await page.getByRole("radio", { name: /^Send to TikTok inbox as a draft/ }).check();
    await page.getByText(/In inbox mode, .+ chooses who can view the video/).waitFor();
    expect(await page.getByLabel("Who can view this video").count()).toBe(0);
    expect(await formControlNames(page).then((controls) => controls.filter((c) => c.name === ""))).toEqual([]);
  } finally {
    await tiktokCreator({ reset: true });
    await context.close();
  }
});

test("when TikTok cannot be asked for the creator's settings, the composer says why and keeps TikTok's general choices", { timeout: 120_000 }, async () => {
  const context = await newUser(browser, appUrl);
  try {
    const page = await context.newPage();
    await ownerWithWorkspace(page, "Crumb Corner", "Europe/Paris");
    await connectThroughSandbox(page, "Crumb Corner", "TikTok");
    const fault = await fetch(`${sandboxUrl}/_sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ path: "/v2/post/publish/creator_info/query/", mode: "respond", status: 500, body: { data: {}, error: { code: "internal_error", message: "Something went wrong", log_id: "e2e" } }, times: 10 }),
    });
    expect(fault.status).toBe(201);
    await newPost(page);
    await page.getByRole("checkbox", { name: /\(tiktok\)$/ }).first().check();

    const problem = page.getByTestId("tiktok-creator-problem");
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.innerText()).toMatch(/^TikTok's settings for this account could not be loaded: .+ The general TikTok choices are shown instead\.$/);
    const privacy = page.getByLabel("Who can view this video");
    expect(await privacy.locator("option").allInnerTexts()).toEqual(["Choose who can view…", "Everyone", "Friends", "Followers", "Only me"]);
    expect(await page.getByRole("switch", { name: "Allow comments" }).isDisabled()).toBe(false);
    await privacy.selectOption({ label: "Followers" });
    expect(await privacy.inputValue()).toBe("FOLLOWER_OF_CREATOR");
  } finally {
    await fetch(`${sandboxUrl}/_sandbox/faults`, { method: "DELETE" });
    await context.close();
  }
});
