import type { Page } from "playwright-core";
import { mp4 } from "./media-files.ts";
import { signUp, uniqueEmail } from "./browser.ts";

/** Signs a new owner up and creates a workspace in `timezone`; resolves with the workspace id. */
export async function ownerWithWorkspace(page: Page, name: string, timezone: string): Promise<string> {
  await page.goto("/signup");
  await signUp(page, "Pia Planner", uniqueEmail("pia"));
  await page.waitForURL("**/workspaces/new");
  await page.getByLabel("Workspace name", { exact: true }).fill(name);
  await page.getByLabel("Time zone", { exact: true }).selectOption(timezone);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(/\/w\/[^/]+$/);
  return decodeURIComponent(new URL(page.url()).pathname.split("/")[2] ?? "");
}

/**
 * Accounts → Connect → the sandbox's consent page (another origin) → Approve, adding every account
 * offered when the platform returns several.
 */
export async function connectThroughSandbox(page: Page, workspaceName: string, platform: "Instagram" | "TikTok" | "Facebook" | "YouTube" | "Threads" | "LinkedIn"): Promise<void> {
  const appOrigin = new URL(page.url()).origin;
  await page.getByRole("navigation", { name: `${workspaceName} sections` }).getByRole("link", { name: "Accounts" }).click();
  await page.getByRole("heading", { level: 1, name: "Accounts" }).waitFor();
  await page.getByRole("region", { name: platform }).getByRole("button", { name: `Connect ${platform}` }).click();
  await page.waitForURL((url) => url.origin !== appOrigin);
  await page.getByText("wants to access your account").waitFor();
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await page.waitForURL((url) => url.origin === appOrigin);
  const choose = page.getByRole("heading", { level: 1, name: "Choose accounts to add" });
  const connected = page.getByRole("status").filter({ hasText: /Connected \d+ accounts?\./ });
  await choose.or(connected).first().waitFor();
  if (await choose.isVisible()) {
    const all = page.getByRole("checkbox", { name: "Select all" });
    if (!(await all.isChecked())) await all.check();
    await page.getByRole("button", { name: /^Add selected/ }).click();
  }
  await connected.waitFor();
}

/**
 * Puts a vertical 10-second MP4 in the library through the one-request upload, as the Media page
 * does, and resolves with its id.
 */
export async function uploadClip(page: Page, workspaceId: string, name = "clip.mp4"): Promise<string> {
  const bytes = Array.from(mp4(64 * 1024, 1080, 1920, 10_000));
  return page.evaluate(
    async ({ workspaceId, name, bytes }) => {
      const res = await fetch(`/api/workspaces/${encodeURIComponent(workspaceId)}/media`, {
        method: "POST",
        headers: { "Content-Type": "video/mp4", "X-File-Name": encodeURIComponent(name), Accept: "application/json" },
        body: new Uint8Array(bytes),
      });
      const body = (await res.json()) as { id?: string; detail?: string };
      if (!res.ok || !body.id) throw new Error(`Upload failed (${res.status}): ${body.detail ?? ""}`);
      return body.id;
    },
    { workspaceId, name, bytes },
  );
}

/** `YYYY-MM-DD` on a wall clock in `timeZone`, `days` from today. */
export function dayIn(timeZone: string, days: number): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
