import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { formControlNames, launchBrowser, newUser, signUp, uniqueEmail } from "./browser.ts";

let browser: Browser;
const appUrl = inject("appUrl");

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const onlineInHeader = (page: Page, name: string) =>
  page.getByRole("banner").getByRole("list", { name: "Online teammates" }).getByRole("img", { name: `${name}, online` });

async function expectAllControlsNamed(page: Page): Promise<void> {
  const controls = await formControlNames(page);
  expect(controls.length).toBeGreaterThan(0);
  expect(controls.filter((c) => c.name === "")).toEqual([]);
}

test("an invited teammate joins, both see each other online, and a role change reaches them live", async () => {
  const owner = await newUser(browser, appUrl, "America/New_York");
  const guest = await newUser(browser, appUrl, "Asia/Tokyo");
  try {
    // Owner signs up and creates a workspace.
    const a = await owner.newPage();
    await a.goto("/signup");
    await a.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
    await expectAllControlsNamed(a);
    await signUp(a, "Ada Owner", uniqueEmail("ada"));
    await a.waitForURL("**/workspaces/new");
    await a.getByLabel("Workspace name", { exact: true }).fill("Northwind Coffee");
    await a.getByLabel("Time zone", { exact: true }).selectOption("Europe/Paris");
    await a.getByRole("button", { name: "Create workspace" }).click();
    await a.waitForURL(/\/w\/[^/]+$/);
    await a.getByRole("heading", { level: 1, name: "Northwind Coffee" }).waitFor();

    // Owner creates an invite on the Team page and reads the one-time link.
    await a.getByRole("navigation", { name: "Northwind Coffee sections" }).getByRole("link", { name: "Team" }).click();
    await a.getByRole("heading", { level: 1, name: "Team" }).waitFor();
    await a.getByLabel("Role", { exact: true }).selectOption("editor");
    await a.getByRole("button", { name: "Create invite link" }).click();
    const link = a.getByLabel("Invite link", { exact: true });
    await link.waitFor();
    const inviteUrl = new URL(await link.inputValue());
    expect(inviteUrl.pathname).toMatch(/^\/invite\/.+/);
    await a.getByText("This link is shown only once.").waitFor();
    await expectAllControlsNamed(a);

    // Guest opens the link signed out, signs up from it, and accepts.
    const b = await guest.newPage();
    await b.goto(inviteUrl.pathname);
    await b.getByRole("heading", { level: 1, name: "Join Northwind Coffee" }).waitFor();
    await b.getByRole("link", { name: "Sign up to accept" }).click();
    await b.waitForURL("**/signup?next=*");
    await signUp(b, "Bea Editor", uniqueEmail("bea"));
    await b.waitForURL(`**${inviteUrl.pathname}`);
    await b.getByRole("button", { name: "Accept invitation" }).click();
    await b.waitForURL(/\/w\/[^/]+$/);
    await b.getByText("Your role: Editor").waitFor();

    // Both see each other in the header's presence avatars.
    await onlineInHeader(a, "Bea Editor").waitFor();
    await onlineInHeader(b, "Ada Owner").waitFor();

    // The new member appears on the owner's Team page without a reload; the owner makes them a viewer.
    const roleSelect = a.getByLabel("Role for Bea Editor", { exact: true });
    await roleSelect.selectOption("viewer");
    await a.getByRole("button", { name: "Save role for Bea Editor" }).click();
    await a.getByRole("status").filter({ hasText: "Bea Editor is now Viewer." }).waitFor();

    // The guest's page reflects the new role live.
    await b.getByText("Your role: Viewer").waitFor();
    expect(await b.getByRole("link", { name: "Settings" }).count()).toBe(0);
  } finally {
    await owner.close();
    await guest.close();
  }
});
