import { env } from "cloudflare:workers";
import { addMember, type Client, createWorkspace, makeClient, signUp, type TestClock, type TestUser } from "../helpers/client";

export type MediaJson = {
  id: string; status: string; kind: string | null; mimeType: string | null; name: string; sizeBytes: number; width: number | null; height: number | null;
  durationMs: number | null; videoCodec: string | null; audioCodec: string | null; frameRateMilli: number | null; altText: string | null; tags: string[];
  url: string; posterUrl: string | null; createdBy: { id: string; name: string } | null;
};
export type UploadJson = { media: MediaJson; partSizeBytes: number; partCount: number; partsDone: { partNumber: number; sizeBytes: number }[] };

export const PART = 10 * 1024 * 1024;

/** A signed-up owner with a fresh workspace (its own id, so nothing couples tests). */
export async function setup(clock?: TestClock) {
  const client = makeClient(clock);
  const owner = await signUp(client);
  const workspace = await createWorkspace(client, owner);
  const base = `/api/workspaces/${workspace.id}/media`;
  return { client, owner, workspace, base };
}

export async function member(client: Client, workspaceId: string, owner: TestUser, role: string): Promise<TestUser> {
  const user = await signUp(client);
  await addMember(client, workspaceId, owner, user, role);
  return user;
}

export function rawUpload(bytes: Uint8Array, name?: string, contentType = "application/octet-stream") {
  return {
    rawBody: bytes,
    headers: { "Content-Length": String(bytes.byteLength), "Content-Type": contentType, ...(name !== undefined ? { "X-File-Name": encodeURIComponent(name) } : {}) },
  };
}

export async function uploadSmall(client: Client, user: TestUser, workspaceId: string, bytes: Uint8Array, name = "file.bin"): Promise<MediaJson> {
  const response = await client.call("POST", `/api/workspaces/${workspaceId}/media`, { cookie: user.cookie, ...rawUpload(bytes, name) });
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as MediaJson;
}

export const objectsUnder = async (workspaceId: string) => (await env.MEDIA.list({ prefix: `ws/${workspaceId}/media/` })).objects.map((o) => o.key);

export const mediaRows = (workspaceId: string) => env.DB.prepare("SELECT * FROM media WHERE workspace_id = ?").bind(workspaceId).all<Record<string, unknown>>().then((r) => r.results);

export const auditActions = (workspaceId: string) =>
  env.DB.prepare("SELECT action FROM audit_log WHERE workspace_id = ? AND action LIKE 'media.%' ORDER BY created_at, rowid").bind(workspaceId).all<{ action: string }>().then((r) => r.results.map((x) => x.action));
