import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    sandboxUrl: string;
  }
}

interface Stack {
  appUrl: string;
  sandboxUrl: string;
  stop(): Promise<void>;
}
type StartStack = (options: { port: number; sandboxPort: number; persistTo: string; quiet: boolean }) => Promise<Stack>;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) if (await isFree(port)) return port;
  throw new Error(`No free port in ${from}–${from + 99}.`);
}

async function loadStartStack(): Promise<StartStack> {
  // A computed specifier: the script is plain .mjs without type declarations.
  const specifier = new URL("../../scripts/local-stack.mjs", import.meta.url).href;
  const mod: unknown = await import(/* @vite-ignore */ specifier);
  const start = typeof mod === "object" && mod !== null ? (mod as Record<string, unknown>).startStack : undefined;
  if (typeof start !== "function") throw new Error("scripts/local-stack.mjs must export startStack().");
  return start as StartStack;
}

/**
 * Starts the app and sandbox Workers on fresh state (a temp D1/DO directory) and free ports.
 * Set E2E_APP_URL to test against a stack that is already running instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.E2E_APP_URL;
  if (existing) {
    project.provide("appUrl", existing.replace(/\/$/, ""));
    project.provide("sandboxUrl", (process.env.E2E_SANDBOX_URL ?? "http://127.0.0.1:8788").replace(/\/$/, ""));
    return async () => {};
  }
  const persistTo = await mkdtemp(join(tmpdir(), "atelier-e2e-"));
  const port = await freePort(Number(process.env.E2E_PORT ?? 18787));
  const sandboxPort = await freePort(port + 1);
  const startStack = await loadStartStack();
  const stack = await startStack({ port, sandboxPort, persistTo, quiet: !process.env.E2E_VERBOSE });
  project.provide("appUrl", stack.appUrl.replace(/\/$/, ""));
  project.provide("sandboxUrl", stack.sandboxUrl.replace(/\/$/, ""));
  return async () => {
    await stack.stop();
    await rm(persistTo, { recursive: true, force: true });
  };
}
