import { env } from "cloudflare:workers";
import { mediaObjectKey } from "../../worker/media/keys";
import { signMediaToken } from "../../worker/media/signed-url";
import type { AdapterContext } from "../../worker/platforms/types";
import type { PublishAdapter, PublishJob, PublishMedia } from "../../worker/publishing/types";
import { expectSentence } from "../helpers/oauth-flow";

/** A JPEG whose SOF0 segment comes right after SOI, so its size is in the first bytes a platform sniffs. */
export function jpeg(width: number, height: number, padTo = 2048): Uint8Array {
  const head = [0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, ...new Array<number>(9).fill(0)];
  const bytes = new Uint8Array(Math.max(padTo, head.length + 2));
  bytes.set(head);
  bytes.set([0xff, 0xd9], bytes.length - 2);
  return bytes;
}

/** An MP4 (`ftyp isom` box first) padded to `size` bytes. */
export function mp4(size = 64 * 1024): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0x00, 0x00, 0x00, 0x18, ...Array.from("ftypisom", (c) => c.charCodeAt(0)), 0, 0, 2, 0, ...Array.from("isommp41", (c) => c.charCodeAt(0))]);
  return bytes;
}

/** The workspace an adapter test's library files belong to (adapters never read it; signed URLs do). */
export async function ensureWorkspace(workspaceId: string, name: string): Promise<void> {
  const now = Date.now();
  await env.DB.prepare("INSERT OR IGNORE INTO workspaces (id, name, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").bind(workspaceId, name, "UTC", now, now).run();
}

export type FileFacts = { kind: "image" | "video"; mimeType: string; width?: number; height?: number; durationMs?: number; altText?: string };

/** A ready library file in R2 + D1, reachable by the platform through a signed `/m/<token>` URL. */
export async function libraryFile(workspaceId: string, bytes: Uint8Array, facts: FileFacts): Promise<PublishMedia> {
  const id = `med_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const key = mediaObjectKey(workspaceId, id);
  await env.MEDIA.put(key, bytes, { httpMetadata: { contentType: facts.mimeType } });
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO media (id, workspace_id, status, kind, mime_type, name, size_bytes, width, height, duration_ms, alt_text, tags, created_at, updated_at) VALUES (?, ?, 'ready', ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)",
  )
    .bind(id, workspaceId, facts.kind, facts.mimeType, `${id}.${facts.kind === "image" ? "jpg" : "mp4"}`, bytes.byteLength, facts.width ?? null, facts.height ?? null, facts.durationMs ?? null, facts.altText ?? null, now, now)
    .run();
  const token = await signMediaToken(env.SESSION_SECRET, { workspaceId, mediaId: id, expiresAt: now + 86_400_000 });
  return {
    id,
    kind: facts.kind,
    mimeType: facts.mimeType,
    sizeBytes: bytes.byteLength,
    width: facts.width ?? null,
    height: facts.height ?? null,
    durationMs: facts.durationMs ?? null,
    altText: facts.altText ?? null,
    url: `http://atelier.test/m/${token}`,
    async read(offset, length) {
      const object = await env.MEDIA.get(key, { range: { offset, length } });
      if (!object) throw new Error("missing R2 object");
      return object.body;
    },
  };
}

/**
 * Calls `prepare` until the job is ready (at most `rounds` times), each "not yet" answer being a
 * sentence a person can read; with `advance`, the clocks move by what the adapter asked to wait (at
 * least `minWaitSeconds`) between calls.
 */
export async function prepareUntilReady(
  publisher: Pick<PublishAdapter, "prepare">,
  ctx: AdapterContext,
  target: PublishJob,
  { rounds = 20, advance, minWaitSeconds = 1 }: { rounds?: number; advance?: (ms: number) => Promise<void>; minWaitSeconds?: number } = {},
): Promise<PublishJob> {
  let current = target;
  for (let round = 0; round < rounds; round++) {
    const result = await publisher.prepare(ctx, current);
    current = { ...current, checkpoint: result.checkpoint };
    if (result.kind === "ready") return current;
    if (result.kind === "failed") throw new Error(`prepare failed: ${result.failure.message}`);
    expectSentence(result.detail);
    const waitMs = Math.max(result.pollAfterSeconds, minWaitSeconds) * 1000;
    if (advance && waitMs > 0) await advance(waitMs);
  }
  throw new Error("never ready");
}
