import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  // The same binary scripts/ensure-chromium.mjs checked (or installed) before the run.
  return chromium.launch({ headless: true, executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** A fresh, isolated browser profile (own cookies) pointed at the app. */
export function newUser(browser: Browser, appUrl: string, timezoneId = "Europe/Paris"): Promise<BrowserContext> {
  return browser.newContext({ baseURL: appUrl, timezoneId, locale: "en-US" });
}

/** Unique per test run, so tests never depend on each other's data. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const PASSWORD = "correct horse battery staple";

export async function signUp(page: Page, name: string, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel("Your name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
}

const FORM_ROLES = new Set(["textbox", "searchbox", "combobox", "listbox", "checkbox", "radio", "spinbutton", "slider", "switch"]);

interface AXNode {
  ignored?: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
}

/**
 * Form controls on the page whose computed accessible name is empty, read from Chromium's own
 * accessibility tree (the same names screen readers announce).
 */
export async function formControlNames(page: Page): Promise<{ role: string; name: string }[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: AXNode[] };
    return nodes
      .filter((n) => !n.ignored && typeof n.role?.value === "string" && FORM_ROLES.has(n.role.value))
      .map((n) => ({ role: String(n.role?.value), name: typeof n.name?.value === "string" ? n.name.value.trim() : "" }));
  } finally {
    await cdp.detach();
  }
}
