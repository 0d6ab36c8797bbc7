import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { formControlNames, launchBrowser, newUser, signUp, uniqueEmail } from "./browser.ts";
import { apiFromPage, publishFacebookPost, type SandboxPost } from "./inbox-fixtures.ts";
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

/** A comment thread's row is titled with the post's text (unique per run). */
const conversationRow = (page: Page, postText: string) => page.getByRole("list", { name: "Conversations" }).getByRole("button", { name: new RegExp(postText) });

test("a comment arrives live for two teammates, one claims it, the other sees the claim, typing shows, and a rule answers", async () => {
  const owner = await newUser(browser, appUrl, "Europe/Paris");
  const teammate = await newUser(browser, appUrl, "America/New_York");
  try {
    const a = await owner.newPage();
    const workspaceId = await ownerWithWorkspace(a, "Lighthouse Deli", "UTC");
    await connectThroughSandbox(a, "Lighthouse Deli", "Facebook");

    // A teammate joins through an invite link.
    const invite = await apiFromPage(a, "POST", `/api/workspaces/${workspaceId}/invites`, { role: "editor" });
    expect(invite.status).toBe(201);
    const b = await teammate.newPage();
    await b.goto("/signup");
    await signUp(b, "Teo Teammate", uniqueEmail("teo"));
    await b.waitForURL("**/workspaces/new");
    expect((await apiFromPage(b, "POST", `/api/invites/${String(invite.body.token)}/accept`)).status).toBe(200);

    // The sandbox delivers Meta webhooks to this app (idempotent when the stack already subscribed).
    const subscribed = await fetch(`${sandboxUrl}/_sandbox/webhooks/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ callbackUrl: `${appUrl}/webhooks/meta` }),
    });
    expect(subscribed.status).toBe(200);

    // A rule that answers price questions, created through its API (the rules editor is covered by test/e2e/rules.test.ts).
    const rule = await apiFromPage(a, "POST", `/api/workspaces/${workspaceId}/inbox/rules`, {
      name: "Price questions",
      conditions: { kinds: ["comments"], keywords: { any: ["price", "cost"] } },
      actions: [{ type: "reply", text: "Hi {first_name}, check your DMs!" }],
    });
    expect(rule.status).toBe(201);

    const postText = `Sourdough is back ${Date.now()}`;
    const post = await publishFacebookPost(a, workspaceId, postText);

    // Both open the inbox before the comment exists.
    for (const page of [a, b]) {
      await page.goto(`/w/${workspaceId}/inbox`);
      await page.getByRole("heading", { level: 1, name: /^Inbox/ }).waitFor();
    }
    expect((await formControlNames(a)).filter((c) => c.name === "")).toEqual([]);

    const commented = await fetch(`${sandboxUrl}/_sandbox/events/comment`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ platform: "facebook", account: post.account_id, post: post.id, author: { name: "Carla Customer" }, text: "What is the price of a loaf?" }),
    });
    expect(commented.status).toBe(201);

    // It appears live in both lists, unread, without a reload.
    await conversationRow(a, postText).waitFor({ timeout: 15_000 });
    await conversationRow(b, postText).waitFor({ timeout: 15_000 });
    await b.getByRole("list", { name: "Conversations" }).getByRole("img", { name: "Unread" }).first().waitFor();

    // The owner opens it (with the keyboard) and claims it; the teammate sees who is viewing and the claim.
    await a.keyboard.press("j");
    await a.keyboard.press("Enter");
    const paneA = a.getByRole("region", { name: /^Conversation:/ });
    const threadA = paneA.getByRole("list", { name: "Messages and notes" });
    await threadA.getByText("What is the price of a loaf?").waitFor();
    await conversationRow(b, postText).getByText("Pia Planner is viewing").waitFor();
    await paneA.getByRole("button", { name: "Claim", exact: true }).click();
    await conversationRow(b, postText).getByText("Claimed by Pia Planner").waitFor();

    await conversationRow(b, postText).click();
    const paneB = b.getByRole("region", { name: /^Conversation:/ });
    const threadB = paneB.getByRole("list", { name: "Messages and notes" });
    await paneB.getByText("Claimed by Pia Planner").waitFor();
    await paneB.getByRole("button", { name: "Take over" }).waitFor();
    await paneB.getByText("Pia Planner is viewing").waitFor();
    await paneA.getByText("Teo Teammate is viewing").waitFor();

    // The rule answered the question on its own, and both see the reply in the thread.
    await threadA.getByText("Hi Carla, check your DMs!").waitFor({ timeout: 15_000 });
    await threadB.getByText("Hi Carla, check your DMs!").waitFor({ timeout: 15_000 });

    // Typing shows for the other; a sent reply goes pending → sent and reaches the platform.
    await paneA.getByRole("textbox", { name: "Reply" }).pressSequentially("A loaf is 6 euros", { delay: 20 });
    await paneB.getByText("Pia Planner is typing…").waitFor();
    await paneA.getByRole("button", { name: "Send reply" }).click();
    await threadB.getByText("A loaf is 6 euros").waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await paneA.locator(".msg-out").filter({ hasText: "A loaf is 6 euros" }).textContent()) ?? "", { timeout: 15_000 }).not.toMatch(/Sending…/);
    await expect.poll(() => paneB.getByText("Pia Planner is typing…").count(), { timeout: 10_000 }).toBe(0);

    // Escape closes the pane and gives focus back to the row.
    await a.keyboard.press("Escape");
    await expect.poll(() => paneA.count()).toBe(0);
    await expect.poll(() => a.evaluate(() => document.activeElement?.getAttribute("data-conversation-id") ?? null)).not.toBeNull();

    const recorded = (await (await fetch(`${sandboxUrl}/_sandbox/inbox?platform=facebook&account=${post.account_id}`)).json()) as { actions: { action: string; text?: string }[] };
    const texts = JSON.stringify(recorded.actions);
    expect(texts).toContain("Hi Carla, check your DMs!");
    expect(texts).toContain("A loaf is 6 euros");
  } finally {
    await owner.close();
    await teammate.close();
  }
});
