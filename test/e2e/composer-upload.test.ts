import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { launchBrowser, newUser } from "./browser.ts";
import { png } from "./media-files.ts";
import { connectThroughSandbox, ownerWithWorkspace } from "./posting.ts";

let browser: Browser;
let dir: string;
const appUrl = inject("appUrl");

beforeAll(async () => {
  browser = await launchBrowser();
  dir = await mkdtemp(join(tmpdir(), "atelier-composer-upload-"));
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

test("a file uploaded from the composer lands in the library and on the post at once, and deleting the post keeps the file", async () => {
  const context = await newUser(browser, appUrl);
  try {
    const page = await context.newPage();
    const workspaceId = await ownerWithWorkspace(page, "Inplace Co", "Europe/Paris");
    await connectThroughSandbox(page, "Inplace Co", "Instagram");
    await page.getByRole("link", { name: "New post" }).click();
    await page.getByRole("heading", { level: 1, name: "New post" }).waitFor();
    await page.getByRole("checkbox", { name: /\(instagram\)$/ }).first().check();

    const file = join(dir, "square.png");
    await writeFile(file, png(1080, 1080));
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Choose files" }).click();
    await (await chooser).setFiles(file);
    // The post now shows the file, and the Instagram "needs media" problem is gone.
    await page.getByRole("img", { name: "square.png" }).first().waitFor();
    const library = await page.evaluate(async (id) => (await fetch(`/api/workspaces/${id}/media`)).json(), workspaceId);
    expect((library as { media: { name: string; width: number }[] }).media).toEqual([expect.objectContaining({ name: "square.png", width: 1080 })]);

    // Once saved, the post can be deleted: it is gone at once, its file stays in the library.
    await page.getByLabel("Text", { exact: true }).fill("A square for the grid");
    await page.getByText("All changes saved").waitFor();
    await page.getByRole("button", { name: "Delete post" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this post?" });
    await dialog.getByText("Its files stay in the media library.").waitFor();
    await dialog.getByRole("button", { name: "Delete post" }).click();
    await page.waitForURL(/\/calendar$/);
    const after = await page.evaluate(async (id) => [await (await fetch(`/api/workspaces/${id}/posts`)).json(), await (await fetch(`/api/workspaces/${id}/media`)).json()], workspaceId);
    expect((after[0] as { posts: unknown[] }).posts).toEqual([]);
    expect((after[1] as { media: unknown[] }).media).toHaveLength(1);
  } finally {
    await context.close();
  }
});
