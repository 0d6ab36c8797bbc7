import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { PlatformHttp } from "../../worker/platforms/http";
import type { AdapterContext } from "../../worker/platforms/types";
import { SANDBOX } from "../helpers/connect";

/** Sam's open_id in the sandbox (sandbox/platforms/tiktok.ts). */
export const TIKTOK_OPEN_ID = "-000samsbx-7c1e-4b7a-9a3f-5d2e8c7b6a10";
export const MIB = 1024 * 1024;

export type SentRequest = { method: string; url: string; headers: Headers; bodyBytes: number | null };

/**
 * An adapter context whose requests are recorded (method, URL, headers) before going to the sandbox;
 * `beforeSend` may act first (add a sandbox fault just before a given request).
 */
export function recordingContext(base: AdapterContext, beforeSend?: (request: Request, sent: SentRequest[]) => Promise<void>): { ctx: AdapterContext; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const http = new PlatformHttp(
    async (request) => {
      const length = request.headers.get("content-length");
      const entry = { method: request.method, url: request.url, headers: new Headers(request.headers), bodyBytes: length === null ? null : Number(length) };
      await beforeSend?.(request, sent);
      sent.push(entry);
      return fetch(request);
    },
    env.SANDBOX_ORIGIN ?? SANDBOX,
  );
  return { ctx: { ...base, http }, sent };
}

export async function creatorSettings(settings: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${SANDBOX}/_sandbox/tiktok/creator`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(settings) });
  expect(response.status, await response.clone().text()).toBe(200);
}

export async function advanceSandboxClock(ms: number): Promise<void> {
  const response = await fetch(`${SANDBOX}/_sandbox/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advanceMs: ms }) });
  expect(response.status).toBe(200);
}

export type TikTokPost = { id: string; kind: string; text: string; media: string[]; permalink: string; data: Record<string, unknown> };

export async function tiktokPosts(): Promise<TikTokPost[]> {
  return ((await (await fetch(`${SANDBOX}/_sandbox/posts?platform=tiktok&account=${encodeURIComponent(TIKTOK_OPEN_ID)}`)).json()) as { posts: TikTokPost[] }).posts;
}

/** Raw status/fetch text, exactly as the sandbox wrote it. */
export async function rawStatus(token: string, publishId: string): Promise<string> {
  const response = await fetch(`${SANDBOX}/open.tiktokapis.com/v2/post/publish/status/fetch/`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ publish_id: publishId }),
  });
  expect(response.status).toBe(200);
  return response.text();
}
