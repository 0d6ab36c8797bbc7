import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { formControlNames, launchBrowser, newUser } from "./browser.ts";
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

async function comment(post: SandboxPost, author: string, text: string): Promise<void> {
  const response = await fetch(`${sandboxUrl}/_sandbox/events/comment`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ platform: "facebook", account: post.account_id, post: post.id, author: { name: author }, text }),
  });
  expect(response.status).toBe(201);
}

/** Waits until the inbox holds a message with this text (the webhook went through the queue). */
async function inboxHas(page: Page, workspaceId: string, text: string): Promise<void> {
  await expect
    .poll(async () => JSON.stringify((await apiFromPage(page, "GET", `/api/workspaces/${workspaceId}/inbox/conversations?q=${encodeURIComponent(text)}`)).body), { timeout: 20_000, interval: 500 })
    .toContain('"conversations":[{');
}

test("a rule made in the editor is tried on a real comment, turned on, hit by a new comment, and reordered; a saved reply is inserted in the inbox", async () => {
  const owner = await newUser(browser, appUrl, "Europe/Paris");
  try {
    const page = await owner.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Harbour Bakery", "UTC");
    await connectThroughSandbox(page, "Harbour Bakery", "Facebook");
    const subscribed = await fetch(`${sandboxUrl}/_sandbox/webhooks/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ callbackUrl: `${appUrl}/webhooks/meta` }),
    });
    expect(subscribed.status).toBe(200);

    const post = await publishFacebookPost(page, workspaceId, `Rye loaves today ${Date.now()}`);
    await comment(post, "Carla Customer", "How much does shipping cost?");
    await comment(post, "Bo Browser", "Lovely crust!");
    await inboxHas(page, workspaceId, "How much does shipping cost?");
    await inboxHas(page, workspaceId, "Lovely crust!");

    // The page is reached from the workspace's navigation.
    await page.goto(`/w/${workspaceId}/inbox`);
    await page.getByRole("link", { name: "Rules", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Auto-reply rules" }).waitFor();
    await page.getByText("No rules yet.").waitFor();
    await page.getByRole("button", { name: "New rule" }).click();

    const editor = page.getByRole("form", { name: "New rule" });
    await editor.getByRole("textbox", { name: "Name" }).fill("Shipping questions");
    await editor.getByRole("textbox", { name: "Contains any of" }).fill("shipping");
    await editor.getByRole("textbox", { name: "Contains any of" }).press("Enter");
    await editor.getByRole("textbox", { name: "Contains any of" }).fill("delivery");
    await editor.getByRole("textbox", { name: "Contains any of" }).press("Enter");
    await editor.getByRole("list", { name: "Contains any of: shipping, delivery" }).waitFor();

    // A refused pattern shows the server's sentence at the pattern field, and focus lands there.
    await editor.getByRole("checkbox", { name: /Also match a pattern/ }).check();
    await editor.getByRole("textbox", { name: "Pattern" }).fill("(shipping|delivery");
    await editor.getByRole("textbox", { name: "Message for action 1" }).fill("Hi {first_name}, we ship within 2 days!");
    await editor.getByRole("button", { name: "Save rule" }).click();
    await editor.getByText("This is not a valid pattern: missing closing ): `(shipping|delivery`.").waitFor();
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value ?? "")).toBe("(shipping|delivery");
    await editor.getByRole("checkbox", { name: /Also match a pattern/ }).uncheck();
    expect((await formControlNames(page)).filter((c) => c.name === "")).toEqual([]);

    // Try it before turning it on: the shipping question matches, the compliment does not.
    await editor.getByRole("button", { name: "Try it" }).click();
    const results = editor.getByRole("region", { name: "Dry run results" });
    await results.getByText("Looked at the last 2 messages: 1 would match. Nothing was sent.").waitFor();
    await results.getByText("Reply: “Hi Carla, we ship within 2 days!”").waitFor();
    expect(await results.getByText("Lovely crust!").count()).toBe(0);

    await editor.getByRole("button", { name: "Save rule" }).click();
    await page.getByText("Saved “Shipping questions”; it is off until you turn it on.").waitFor();
    const row = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Shipping questions" }) });
    await row.getByText("When a comment on any channel contains shipping or delivery → reply “Hi {first_name}, we ship within 2 days!”").waitFor();
    await row.getByText("No hits yet").waitFor();

    // Turn it on with its switch, then a new matching comment arrives.
    await row.getByRole("switch").check();
    await page.getByText("“Shipping questions” is on.").waitFor();
    await comment(post, "Dan Diner", "Is delivery free over 30 euros?");

    await row.getByRole("button", { name: "Hit log of Shipping questions" }).click();
    const log = row.getByRole("region", { name: "Hit log of Shipping questions" });
    await log.getByText("Is delivery free over 30 euros?", { exact: false }).waitFor({ timeout: 20_000 });
    await log.getByText("Acted").waitFor();
    await log.getByText("Dan Diner").waitFor();
    await row.getByText(/^1 hit · last/).waitFor({ timeout: 10_000 });

    // The rule really answered on the platform.
    await expect
      .poll(async () => JSON.stringify(await (await fetch(`${sandboxUrl}/_sandbox/inbox?platform=facebook&account=${post.account_id}`)).json()), { timeout: 20_000 })
      .toContain("Hi Dan, we ship within 2 days!");

    // A second rule moves above the first with the keyboard-operable Up button.
    const second = await apiFromPage(page, "POST", `/api/workspaces/${workspaceId}/inbox/rules`, { name: "Greetings", enabled: false, conditions: { kinds: ["comments"], keywords: { any: ["hello"] } }, actions: [{ type: "like" }] });
    expect(second.status).toBe(201);
    await page.reload();
    await page.getByRole("heading", { name: "Greetings" }).waitFor();
    const names = () => page.getByRole("list", { name: "Rules, in the order they run" }).getByRole("heading").allTextContents();
    await expect.poll(names).toEqual(["Shipping questions", "Greetings"]);
    await page.getByRole("button", { name: "Move Greetings up" }).click();
    await expect.poll(names).toEqual(["Greetings", "Shipping questions"]);
    await page.getByText("Moved “Greetings” up.").waitFor();

    // A saved reply made on the same page (a misspelt variable is refused at its field first)…
    const savedForm = page.getByRole("form", { name: "New saved reply" });
    await savedForm.getByRole("textbox", { name: "Reply name" }).fill("Thanks");
    await savedForm.getByRole("textbox", { name: "Reply text" }).fill("Thanks {firstname}, see you soon!");
    await savedForm.getByRole("button", { name: "Add saved reply" }).click();
    await savedForm.getByText("This variable does not exist: {firstname}. Use {first_name}, {name}, {channel} or {text}.").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName ?? "")).toBe("TEXTAREA");
    await savedForm.getByRole("textbox", { name: "Reply text" }).fill("Thanks {first_name}, see you soon!");
    await savedForm.getByRole("button", { name: "Add saved reply" }).click();
    await page.getByText("Saved “Thanks”.").waitFor();

    // …is inserted by the inbox composer with the commenter's name filled in.
    await page.getByRole("link", { name: "Inbox", exact: true }).click();
    await page.getByRole("list", { name: "Conversations" }).getByRole("button", { name: new RegExp(post.text) }).click();
    const pane = page.getByRole("region", { name: /^Conversation:/ });
    await pane.getByText("Replying to").waitFor();
    await pane.getByRole("button", { name: "Saved replies" }).click();
    // Escape closes the picker but not the conversation.
    await pane.getByRole("searchbox", { name: "Find a saved reply" }).press("Escape");
    await expect.poll(() => pane.getByRole("searchbox", { name: "Find a saved reply" }).count()).toBe(0);
    expect(await pane.count()).toBe(1);
    await pane.getByRole("button", { name: "Saved replies" }).click();
    await pane.getByRole("searchbox", { name: "Find a saved reply" }).fill("soon");
    await pane.getByRole("button", { name: /^Thanks/ }).click();
    await expect.poll(() => pane.getByRole("textbox", { name: "Reply" }).inputValue()).toBe("Thanks Dan, see you soon!");
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName ?? "")).toBe("TEXTAREA");
  } finally {
    await owner.close();
  }
});
