import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { formControlNames, launchBrowser, newUser, signUp, uniqueEmail } from "./browser.ts";

let browser: Browser;
const appUrl = inject("appUrl");
const appOrigin = new URL(appUrl).origin;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function createWorkspace(page: Page, name: string): Promise<void> {
  await page.goto("/signup");
  await signUp(page, "Ola Owner", uniqueEmail("ola"));
  await page.waitForURL("**/workspaces/new");
  await page.getByLabel("Workspace name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(/\/w\/[^/]+$/);
  await page.getByRole("navigation", { name: `${name} sections` }).getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("heading", { level: 1, name: "Accounts" }).waitFor();
}

/** Connect → the sandbox's own consent page (another origin) → Approve or Deny. */
async function consentToInstagram(page: Page, decision: "Approve" | "Deny"): Promise<void> {
  await page.getByRole("region", { name: "Instagram" }).getByRole("button", { name: "Connect Instagram" }).click();
  await page.waitForURL((url) => url.origin !== appOrigin);
  // Instagram accounts are connected through Facebook Login, so the sandbox shows Facebook's consent page.
  await page.getByText("wants to access your account").waitFor();
  await page.getByRole("button", { name: decision, exact: true }).click();
  await page.waitForURL((url) => url.origin === appOrigin);
}

test("an owner connects Instagram through the sandbox consent page, sees the accounts active, and disconnects one", async () => {
  const context = await newUser(browser, appUrl);
  try {
    const page = await context.newPage();
    await createWorkspace(page, "Fjord Bakery");
    await page.getByText("No accounts are connected yet.").waitFor();
    const instagram = page.getByRole("region", { name: "Instagram" });
    await instagram.getByText("What Atelier asks for").click();
    await instagram.getByText("Required").first().waitFor();

    await consentToInstagram(page, "Approve");

    // One account connects directly; several go through the choice step first.
    const choose = page.getByRole("heading", { level: 1, name: "Choose accounts to add" });
    const connected = page.getByRole("status").filter({ hasText: /Connected \d+ accounts?\./ });
    await choose.or(connected).first().waitFor();
    if (await choose.isVisible()) {
      const all = page.getByRole("checkbox", { name: "Select all" });
      await all.waitFor();
      expect(await page.getByRole("checkbox").count()).toBeGreaterThan(2);
      if (!(await all.isChecked())) await all.check();
      expect(await formControlNames(page).then((controls) => controls.filter((c) => c.name === ""))).toEqual([]);
      await page.getByRole("button", { name: /^Add selected/ }).click();
    }
    await connected.waitFor();
    expect(await connected.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => new URL(page.url()).search).toBe("");

    const rows = instagram.getByRole("list", { name: "Instagram accounts" }).getByRole("listitem");
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const count = await rows.count();
    for (let i = 0; i < count; i++) expect(await rows.nth(i).innerText()).toMatch(/Active/);
    const name = (await rows.first().locator(".channel-name").innerText()).trim();
    expect(name.length).toBeGreaterThan(0);

    // Disconnect asks first and says what happens to the tokens and the data.
    await instagram.getByRole("button", { name: `Disconnect ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Disconnect ${name}?` });
    await dialog.getByText("deletes the account's tokens now").waitFor();
    await dialog.getByText("purged within 30 days").waitFor();
    await dialog.getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("status").filter({ hasText: `${name} was disconnected.` }).waitFor();
    const gone = rows.filter({ hasText: name });
    await expect.poll(async () => (await gone.count()) === 0 || /Disconnected/.test(await gone.first().innerText())).toBe(true);
    expect(await instagram.getByRole("button", { name: `Disconnect ${name}` }).count()).toBe(0);
  } finally {
    await context.close();
  }
});

test("denying on the consent page brings the owner back to an error that says so", async () => {
  const context = await newUser(browser, appUrl);
  try {
    const page = await context.newPage();
    await createWorkspace(page, "Harbor Books");
    await consentToInstagram(page, "Deny");
    const alert = page.getByRole("alert").filter({ hasText: "Connection denied" });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/declined|denied/i);
    expect(await alert.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => new URL(page.url()).search).toBe("");
    await page.getByText("No accounts are connected yet.").waitFor();
  } finally {
    await context.close();
  }
});
