import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { addMember, createWorkspace, makeClient, signUp, TestClock, type Client, type TestUser } from "../helpers/client";
import { connectPlatform } from "../helpers/connect";

/** 29 Nov 2026 12:00 UTC, the helpers' default: every schedule below is relative to it. */
export const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

export async function ownerWithWorkspace(clock = new TestClock(NOW)) {
  const client = makeClient(clock);
  const owner = await signUp(client, { name: "Olivia Owner" });
  const workspace = await createWorkspace(client, owner);
  return { client, owner, workspace, clock };
}

/** The first active connection of `platform`, connected through the sandbox. */
export async function channel(client: Client, user: TestUser, workspaceId: string, platform: string): Promise<string> {
  const { connectionIds } = await connectPlatform(client, user, workspaceId, platform);
  const id = connectionIds[0];
  if (!id) throw new Error(`no ${platform} channel`);
  return id;
}

export async function memberWithRole(client: Client, workspaceId: string, owner: TestUser, role: string): Promise<TestUser> {
  const user = await signUp(client, { name: `${role} user` });
  await addMember(client, workspaceId, owner, user, role);
  return user;
}

export type MediaSeed = { kind?: "image" | "video" | null; mimeType?: string | null; sizeBytes?: number; width?: number | null; height?: number | null; durationMs?: number | null; status?: "uploading" | "ready"; name?: string };

/** A library row written with SQL (the upload API is another issue's). Defaults: a ready 1080×1350 JPEG. */
export async function seedMedia(workspaceId: string, seed: MediaSeed = {}): Promise<string> {
  const id = crypto.randomUUID().replaceAll("-", "").slice(0, 22);
  const kind = seed.kind === undefined ? "image" : seed.kind;
  await env.DB.prepare(
    "INSERT INTO media (id, workspace_id, status, kind, mime_type, name, size_bytes, width, height, duration_ms, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)",
  )
    .bind(
      id,
      workspaceId,
      seed.status ?? "ready",
      kind,
      seed.mimeType === undefined ? (kind === "video" ? "video/mp4" : "image/jpeg") : seed.mimeType,
      seed.name ?? `${kind ?? "file"}.bin`,
      seed.sizeBytes ?? 500_000,
      seed.width === undefined ? (kind === "video" ? 1080 : 1080) : seed.width,
      seed.height === undefined ? (kind === "video" ? 1920 : 1350) : seed.height,
      seed.durationMs === undefined ? (kind === "video" ? 20_000 : null) : seed.durationMs,
      NOW,
      NOW,
    )
    .run();
  return id;
}

export type ApiPost = {
  id: string;
  status: string;
  baseText: string;
  mediaIds: string[];
  scheduledAt: string | null;
  scheduledLocal: string | null;
  timezone: string;
  revision: number;
  targets: { id: string; connectionId: string; platform: string; format: string; options: Record<string, unknown>; state: string; textOverride: string | null }[];
  validation?: { valid: boolean; post: { path: string; message: string }[]; targets: { connectionId: string; problems: { path: string; message: string }[] }[] };
};

export async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

export async function countRows(sql: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...binds).first<{ n: number }>();
  return row?.n ?? 0;
}
