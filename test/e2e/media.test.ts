import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { formControlNames, launchBrowser, newUser, signUp, uniqueEmail } from "./browser.ts";
import { mp4, png } from "./media-files.ts";

let browser: Browser;
let dir: string;
let pngPath: string;
let videoPath: string;
let fakePath: string;
const appUrl = inject("appUrl");
const VIDEO_BYTES = 25_000_000;
/** Set to a directory to keep desktop and 375 px screenshots of the page. */
const SHOTS = process.env.E2E_SCREENSHOTS;

beforeAll(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), "atelier-media-"));
  // Files on disk, not buffers: the browser then reports their real lastModified, which resume matches on.
  pngPath = join(dir, "harbour.png");
  videoPath = join(dir, "ferry.mp4");
  await writeFile(pngPath, png(3, 2));
  await writeFile(videoPath, mp4(VIDEO_BYTES, 640, 360, 4000));
  // Named like an image, but text: the server judges by the bytes.
  fakePath = join(dir, "notes.png");
  await writeFile(fakePath, new TextEncoder().encode("meeting notes, definitely not pixels\n".repeat(20)));
});
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function openMediaLibrary(page: Page, workspace: string): Promise<string> {
  await page.goto("/signup");
  await signUp(page, "Mia Media", uniqueEmail("mia"));
  await page.waitForURL("**/workspaces/new");
  await page.getByLabel("Workspace name", { exact: true }).fill(workspace);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(/\/w\/[^/]+$/);
  const workspaceId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2] ?? "");
  await page.getByRole("navigation", { name: `${workspace} sections` }).getByRole("link", { name: "Media" }).click();
  await page.getByRole("heading", { level: 1, name: "Media" }).waitFor();
  return workspaceId;
}

async function chooseFiles(page: Page, paths: string[]): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Choose files" }).click();
  await (await chooser).setFiles(paths);
}

const progressOf = (page: Page, name: string) => page.getByRole("progressbar", { name: `Uploading ${name}` });
const percent = async (page: Page, name: string) => Number(await progressOf(page, name).getAttribute("aria-valuenow"));

test("media library: upload an image and a 25 MB video in parts (paused and resumed), then describe the image", async () => {
  const context = await newUser(browser, appUrl);
  try {
    const page = await context.newPage();
    const workspaceId = await openMediaLibrary(page, "Harbour Films");
    await page.getByText("The library is empty.").waitFor();
    expect(await formControlNames(page).then((controls) => controls.filter((c) => c.name === ""))).toEqual([]);

    // A small image goes up in one request through the file picker.
    await chooseFiles(page, [pngPath]);
    await expect.poll(() => percent(page, "harbour.png")).toBe(100);
    const grid = page.getByRole("list", { name: "Media files" });
    const image = grid.getByRole("button", { name: /^harbour\.png, Image · 3 × 2 · / });
    await image.waitFor();
    const thumb = image.locator("img");
    expect(await thumb.getAttribute("width")).toBe("3");
    expect(await thumb.getAttribute("height")).toBe("2");
    expect(await thumb.getAttribute("loading")).toBe("lazy");
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(3);

    // The large file goes in 10 MiB parts, three at once. Let part 1 through and hold 2 and 3, so the
    // upload is caught mid-way.
    const held: Route[] = [];
    const partUrl = /\/media\/uploads\/[^/]+\/parts\/\d+$/;
    await page.route(partUrl, async (route) => {
      if (!route.request().url().endsWith("/parts/1")) return void held.push(route);
      await route.continue();
    });
    const firstPart = page.waitForResponse((r) => r.url().endsWith("/parts/1") && r.status() === 200);
    await chooseFiles(page, [videoPath]);
    await (await firstPart).finished();
    await expect.poll(() => held.length).toBe(2);
    // The first part is stored and counted; the held two add nothing until the server answers them.
    await expect.poll(() => percent(page, "ferry.mp4")).toBeGreaterThanOrEqual(41);

    await page.getByRole("button", { name: "Pause ferry.mp4" }).click();
    const row = page.getByRole("listitem").filter({ has: progressOf(page, "ferry.mp4") });
    await row.getByText(/^Paused at 10 MB of 25 MB/).waitFor();
    if (SHOTS) await row.screenshot({ path: join(SHOTS, "media-paused-row.png") });
    const pausedAt = await percent(page, "ferry.mp4");
    expect(pausedAt).toBe(41); // 10 MiB of 25 MB: only the stored part counts.
    // Record every value the bar takes from here on.
    await progressOf(page, "ferry.mp4").evaluate((bar) => {
      const seen: number[] = [];
      (window as unknown as { seenProgress: number[] }).seenProgress = seen;
      new MutationObserver(() => seen.push(Number(bar.getAttribute("aria-valuenow")))).observe(bar, { attributeFilter: ["aria-valuenow"] });
    });
    // The requests the pause aborted never reach the server.
    for (const route of held.splice(0)) await route.abort().catch(() => undefined);
    await page.unroute(partUrl);

    // The upload is remembered for resuming after the tab closes, and the server has exactly one part.
    const remembered = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "[]"), `atelier.unfinished-uploads.${workspaceId}`);
    expect(remembered).toEqual([expect.objectContaining({ name: "ferry.mp4", size: VIDEO_BYTES, lastModified: expect.any(Number) })]);
    const mediaId = String(remembered[0].mediaId);
    const upload = await page.request.get(`/api/workspaces/${encodeURIComponent(workspaceId)}/media/uploads/${encodeURIComponent(mediaId)}`);
    expect(upload.status()).toBe(200);
    const body = await upload.json();
    expect(body.partCount).toBe(3);
    expect(body.partsDone.map((p: { partNumber: number }) => p.partNumber)).toEqual([1]);
    // Still paused after that round trip: the bar never moved.
    expect(await percent(page, "ferry.mp4")).toBe(pausedAt);
    expect(await page.evaluate(() => (window as unknown as { seenProgress: number[] }).seenProgress)).toEqual([]);

    // Resume sends only the two missing parts, then the file is checked and appears as a video.
    const sent: string[] = [];
    page.on("request", (r) => void (partUrl.test(r.url()) && sent.push(r.url().split("/").pop() ?? "")));
    await page.getByRole("button", { name: "Resume ferry.mp4" }).click();
    await row.getByText(/^Uploaded · 25 MB$/).waitFor({ timeout: 45_000 });
    expect(await percent(page, "ferry.mp4")).toBe(100);
    expect(sent.sort()).toEqual(["2", "3"]);
    const video = grid.getByRole("button", { name: /^ferry\.mp4, Video · 640 × 360 · 25 MB, 0:04$/ });
    await video.waitFor();
    await video.getByText("0:04").waitFor();
    expect(await page.evaluate((key) => localStorage.getItem(key), `atelier.unfinished-uploads.${workspaceId}`)).toBeNull();

    if (SHOTS) {
      await page.screenshot({ path: join(SHOTS, "media-desktop.png"), fullPage: true });
      await page.setViewportSize({ width: 375, height: 800 });
      await page.screenshot({ path: join(SHOTS, "media-375.png"), fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await page.emulateMedia({ colorScheme: "dark" });
      await image.click();
      await page.getByRole("dialog", { name: "harbour.png" }).waitFor();
      await page.screenshot({ path: join(SHOTS, "media-detail-375-dark.png") });
      await page.keyboard.press("Escape");
      await page.screenshot({ path: join(SHOTS, "media-375-dark.png"), fullPage: true });
      await page.emulateMedia({ colorScheme: "light" });
      await page.setViewportSize({ width: 1280, height: 720 });
    }

    // Keyboard: the grid is one tab stop; arrows move between tiles, Enter opens the details.
    await video.focus();
    await page.keyboard.press("ArrowRight");
    expect(await image.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "harbour.png" });
    await dialog.waitFor();
    expect(await dialog.locator("img.detail-preview").getAttribute("src")).toMatch(/\/media\/[^/]+\/content$/);
    await dialog.getByText("Describe what matters in the image").waitFor();
    await dialog.getByLabel("Alt text", { exact: true }).fill("Three fishing boats moored in a calm harbour at dawn.");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "media-detail-desktop.png") });

    // Escape closes and focus returns to the tile.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await image.evaluate((el) => el === document.activeElement)).toBe(true);
    const saved = await page.request.get(`/api/workspaces/${encodeURIComponent(workspaceId)}/media?q=harbour`);
    expect((await saved.json()).media).toEqual([expect.objectContaining({ name: "harbour.png", altText: "Three fishing boats moored in a calm harbour at dawn.", width: 3, height: 2 })]);

    // Search narrows the grid to the file whose alt text matches.
    await page.getByRole("searchbox", { name: "Search" }).fill("fishing");
    await expect.poll(() => grid.getByRole("button").count()).toBe(1);
    await image.waitFor();
  } finally {
    await context.close();
  }
});

test("an upload cut off by closing the page resumes from the parts the server kept when the same file is chosen again", async () => {
  const context = await newUser(browser, appUrl);
  try {
    const first = await context.newPage();
    const workspaceId = await openMediaLibrary(first, "Quay Studio");
    const partUrl = /\/media\/uploads\/[^/]+\/parts\/\d+$/;
    // Only part 1 reaches the server before the tab goes away: the others are held (at the context, so
    // closing the page cannot release them) and dropped afterwards.
    const held: Route[] = [];
    await context.route(partUrl, async (route) => {
      if (!route.request().url().endsWith("/parts/1")) return void held.push(route);
      await route.continue();
    });
    const firstPart = first.waitForResponse((r) => r.url().endsWith("/parts/1") && r.status() === 200);
    await chooseFiles(first, [videoPath]);
    await (await firstPart).finished();
    await expect.poll(() => held.length).toBe(2);
    await first.close();
    for (const route of held.splice(0)) await route.abort().catch(() => undefined);
    await context.unroute(partUrl);

    const page = await context.newPage();
    await page.goto(`/w/${encodeURIComponent(workspaceId)}/media`);
    await page.getByRole("heading", { level: 1, name: "Media" }).waitFor();
    const row = page.getByRole("list", { name: "Uploads" }).getByRole("listitem").filter({ hasText: "ferry.mp4" });
    await row.getByText("Not finished when this page was last closed. Choose the same file again to resume").waitFor();
    if (SHOTS) {
      await page.setViewportSize({ width: 375, height: 700 });
      await page.screenshot({ path: join(SHOTS, "media-resume-375.png") });
      await page.setViewportSize({ width: 1280, height: 720 });
    }

    const [entry] = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "[]"), `atelier.unfinished-uploads.${workspaceId}`);
    const stored = await page.request.get(`/api/workspaces/${encodeURIComponent(workspaceId)}/media/uploads/${encodeURIComponent(String(entry.mediaId))}`);
    expect((await stored.json()).partsDone.map((p: { partNumber: number }) => p.partNumber)).toEqual([1]);

    const sent: string[] = [];
    page.on("request", (r) => void (partUrl.test(r.url()) && sent.push(r.url().split("/").pop() ?? "")));
    const chooser = page.waitForEvent("filechooser");
    await row.getByRole("button", { name: "Resume ferry.mp4" }).click();
    await (await chooser).setFiles([videoPath]);
    await page.getByText(/^Uploaded · 25 MB$/).waitFor({ timeout: 45_000 });
    expect(sent.sort()).toEqual(["2", "3"]);
    await page.getByRole("list", { name: "Media files" }).getByRole("button", { name: /^ferry\.mp4, Video · 640 × 360 · 25 MB, 0:04$/ }).waitFor();
    await expect.poll(() => page.getByText("Not finished when this page was last closed.").count()).toBe(0);
  } finally {
    await context.close();
  }
});

test("a file that is not an image or video is refused per file; tags filter the grid; a public link is made; delete asks first", async () => {
  const context = await newUser(browser, appUrl);
  try {
    const page = await context.newPage();
    await openMediaLibrary(page, "Pier Press");
    // A second tab on the same library hears about new files over the live socket.
    const other = await context.newPage();
    await other.goto(page.url());
    await other.getByText("The library is empty.").waitFor();
    await chooseFiles(page, [fakePath, pngPath]);
    const uploads = page.getByRole("list", { name: "Uploads" });
    await uploads.getByRole("listitem").filter({ hasText: "notes.png" }).getByRole("alert").filter({ hasText: "not a JPEG, PNG, GIF or WebP image" }).waitFor();
    const grid = page.getByRole("list", { name: "Media files" });
    const image = grid.getByRole("button", { name: /^harbour\.png, Image/ });
    await image.waitFor();
    expect(await grid.getByRole("button").count()).toBe(1);
    await other.getByRole("list", { name: "Media files" }).getByRole("button", { name: /^harbour\.png, Image · 3 × 2/ }).waitFor();

    await image.click();
    const dialog = page.getByRole("dialog", { name: "harbour.png" });
    const tagInput = dialog.getByRole("textbox", { name: "Tags" });
    await tagInput.fill("boats");
    await tagInput.press("Enter");
    await tagInput.fill("dawn,");
    await dialog.getByRole("list", { name: "Tags on this file" }).getByText("dawn").waitFor();
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();

    await dialog.getByRole("button", { name: "Copy public link" }).click();
    await expect.poll(() => dialog.getByRole("textbox", { name: "Public link" }).inputValue()).toMatch(/^https?:\/\/.+/);
    await dialog.getByRole("button", { name: "Close" }).click();

    const chip = page.getByRole("list", { name: "Filter by tag" }).getByRole("button", { name: "boats" });
    await chip.click();
    expect(await chip.getAttribute("aria-pressed")).toBe("true");
    await image.waitFor();

    await image.click();
    await dialog.getByRole("button", { name: "Delete…" }).click();
    await dialog.getByRole("heading", { name: "Delete harbour.png?" }).waitFor();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "harbour.png was deleted." }).waitFor();
    await page.getByText("No files match these filters.").waitFor();
    await other.getByText("The library is empty.").waitFor();
  } finally {
    await context.close();
  }
});
