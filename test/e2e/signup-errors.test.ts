import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { launchBrowser, newUser, signUp, uniqueEmail } from "./browser.ts";

let browser: Browser;
const appUrl = inject("appUrl");

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test("signup shows the server's field error next to the field and moves focus to it", async () => {
  const context = await newUser(browser, appUrl);
  try {
    const page = await context.newPage();
    await page.goto("/signup");
    await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();

    await signUp(page, "Cy Short", uniqueEmail("cy"), "short");

    const password = page.getByLabel("Password", { exact: true });
    // The message is the server's (worker/contracts/auth.ts NewPassword), not a client-side copy.
    const message = page.locator(".field-error", { hasText: "Use at least 10 characters." });
    await message.waitFor();
    expect(await password.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await password.getAttribute("aria-describedby")) ?? "";
    expect(describedBy.split(" ")).toContain(await message.getAttribute("id"));
    await expect.poll(() => password.evaluate((el) => el === document.activeElement)).toBe(true);

    // The problem's detail is announced at the top of the form.
    const alert = page.getByRole("alert").first();
    expect((await alert.textContent())?.trim()).not.toBe("");

    // Other fields are not flagged, and fixing the password submits successfully.
    expect(await page.getByLabel("Email", { exact: true }).getAttribute("aria-invalid")).toBeNull();
    await password.fill("a much longer password");
    expect(await password.getAttribute("aria-invalid")).toBeNull();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/workspaces/new");
  } finally {
    await context.close();
  }
});
