import type { Media, Upload } from "../../../../worker/contracts/media.ts";
import { SINGLE_REQUEST_MAX_BYTES, mediaApi } from "../../api/media.ts";
import { toApiError } from "../../api/problem.ts";
import { backoffDelay } from "../../live/backoff.ts";
import { posterFrame } from "./poster-frame.ts";
import { forgetUnfinished, rememberUnfinished } from "./unfinished-uploads.ts";

export type UploadPhase = "uploading" | "paused" | "processing" | "done" | "failed" | "cancelled";

export interface UploadSnapshot {
  id: string;
  name: string;
  size: number;
  phase: UploadPhase;
  /** Bytes the server has (plus those on their way in the current attempt). */
  loaded: number;
  bytesPerSecond: number | null;
  /** What is happening after the bytes are sent ("Checking the file…", "Making a poster frame…"). */
  note: string | null;
  error: string | null;
  /** Resumable (multipart): pausing keeps the parts already stored. */
  resumable: boolean;
  media: Media | null;
}

const PARALLEL_PARTS = 3;
const PART_ATTEMPTS = 5;
const EMIT_EVERY_MS = 100;
const SPEED_WINDOW_MS = 4000;

const isAbort = (e: unknown) => e instanceof DOMException && e.name === "AbortError";
/** Network failures, timeouts, rate limits and server errors are worth another try; a 4xx answer is not. */
const retryable = (e: unknown) => {
  const status = toApiError(e).status;
  return status === 0 || status === 408 || status === 429 || status >= 500;
};

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), reject(new DOMException("Aborted", "AbortError"))), { once: true });
  });
}

/** The server's sentence, made specific for the two refusals people can act on. */
function describe(error: unknown): string {
  const e = toApiError(error);
  if (e.status === 415) return e.problem.detail || "This is not a supported image or video.";
  if (e.status === 413) return e.problem.detail || "This file is larger than the library accepts.";
  if (e.status === 404) return "This upload is no longer on the server (it expired or was cancelled). Start it again.";
  return e.problem.detail;
}

/**
 * One file on its way into the library. Small files go in one request; larger ones are split into the
 * server's parts, sent up to three at a time, each retried with backoff. Pause aborts the requests in
 * flight (a part is idempotent, so it is simply sent again); resume asks the server which parts it has.
 */
export class UploadTask {
  readonly id = crypto.randomUUID();
  private controller: AbortController | null = null;
  private mediaId: string | null;
  private confirmed = 0;
  private readonly inflight = new Map<number, number>();
  private samples: { at: number; loaded: number }[] = [];
  private lastEmit = 0;
  private trailing: ReturnType<typeof setTimeout> | undefined;
  snapshot: UploadSnapshot;

  constructor(
    private readonly workspaceId: string,
    readonly file: File,
    private readonly onChange: (task: UploadTask) => void,
    private readonly onUploaded: (media: Media) => void,
    /** An unfinished multipart upload of this same file, started before the tab was closed. */
    resumeMediaId: string | null = null,
  ) {
    this.mediaId = resumeMediaId;
    this.snapshot = {
      id: this.id,
      name: file.name,
      size: file.size,
      phase: "uploading",
      loaded: 0,
      bytesPerSecond: null,
      note: null,
      error: null,
      resumable: file.size > SINGLE_REQUEST_MAX_BYTES,
      media: null,
    };
  }

  /** The library id the server gave this upload, once it has one. */
  get serverId(): string | null {
    return this.mediaId;
  }

  start(): void {
    void this.run();
  }

  pause(): void {
    if (this.snapshot.phase !== "uploading") return;
    this.controller?.abort();
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.inflight.clear();
    this.set({ phase: "paused", loaded: this.snapshot.resumable ? this.confirmed : 0, bytesPerSecond: null });
  }

  resume(): void {
    if (this.snapshot.phase === "paused" || this.snapshot.phase === "failed") this.start();
  }

  async cancel(): Promise<void> {
    const phase = this.snapshot.phase;
    if (phase === "done" || phase === "cancelled") return;
    this.controller?.abort();
    this.set({ phase: "cancelled", bytesPerSecond: null, note: null });
    if (this.mediaId) {
      forgetUnfinished(this.workspaceId, this.mediaId);
      await mediaApi.abortUpload(this.workspaceId, this.mediaId).catch(() => undefined);
    }
  }

  private set(patch: Partial<UploadSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.onChange(this);
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.samples = [];
    this.set({ phase: "uploading", error: null, note: null });
    try {
      const media = this.snapshot.resumable ? await this.sendParts(controller.signal) : await this.sendWhole(controller.signal);
      if (controller.signal.aborted) return;
      if (media.kind === "video" && !media.posterUrl) await this.addPoster(media);
      else this.finish(media);
    } catch (e) {
      if (isAbort(e) || controller.signal.aborted) return;
      // Stop the sibling parts still in flight; Retry resumes from what the server kept.
      controller.abort();
      this.inflight.clear();
      if (toApiError(e).status === 404 && this.mediaId) {
        forgetUnfinished(this.workspaceId, this.mediaId);
        this.mediaId = null;
        this.confirmed = 0;
      }
      this.set({ phase: "failed", error: describe(e), bytesPerSecond: null, note: null, loaded: this.snapshot.resumable ? this.confirmed : 0 });
    }
  }

  private finish(media: Media): void {
    this.set({ phase: "done", loaded: this.file.size, bytesPerSecond: null, note: null, media });
    this.onUploaded(media);
  }

  private async addPoster(media: Media): Promise<void> {
    this.set({ phase: "processing", note: "Making a poster frame…", loaded: this.file.size, bytesPerSecond: null });
    const jpeg = await posterFrame(this.file);
    let result = media;
    if (jpeg) result = await mediaApi.putPoster(this.workspaceId, media.id, jpeg).catch(() => media);
    this.finish(result);
  }

  private sendWhole(signal: AbortSignal): Promise<Media> {
    return mediaApi.uploadSmall(this.workspaceId, this.file, (loaded) => this.progress(loaded, signal), signal);
  }

  private async sendParts(signal: AbortSignal): Promise<Media> {
    let upload: Upload;
    if (this.mediaId) {
      upload = await mediaApi.getUpload(this.workspaceId, this.mediaId);
    } else {
      upload = await mediaApi.createUpload(this.workspaceId, this.file);
      if (this.snapshot.phase === "cancelled") {
        // Cancelled while the server was creating it: nothing else will ever clean it up.
        await mediaApi.abortUpload(this.workspaceId, upload.media.id).catch(() => undefined);
        throw new DOMException("Aborted", "AbortError");
      }
      this.mediaId = upload.media.id;
      rememberUnfinished(this.workspaceId, {
        mediaId: upload.media.id,
        name: this.file.name,
        size: this.file.size,
        lastModified: this.file.lastModified,
        startedAt: new Date().toISOString(),
      });
    }
    if (signal.aborted) throw new DOMException("Aborted", "AbortError");
    if (upload.media.status === "ready") return this.completed(upload.media);

    const stored = new Set(upload.partsDone.map((p) => p.partNumber));
    this.confirmed = upload.partsDone.reduce((sum, p) => sum + p.sizeBytes, 0);
    this.inflight.clear();
    this.progress(0, signal);
    const missing: number[] = [];
    for (let n = 1; n <= upload.partCount; n++) if (!stored.has(n)) missing.push(n);
    const worker = async () => {
      for (let n = missing.shift(); n !== undefined; n = missing.shift()) await this.sendPart(upload, n, signal);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, missing.length) }, worker));
    if (signal.aborted) throw new DOMException("Aborted", "AbortError");

    this.set({ phase: "processing", note: "Checking the file…", loaded: this.file.size, bytesPerSecond: null });
    return this.completed(await mediaApi.completeUpload(this.workspaceId, upload.media.id));
  }

  private completed(media: Media): Media {
    forgetUnfinished(this.workspaceId, media.id);
    return media;
  }

  private async sendPart(upload: Upload, partNumber: number, signal: AbortSignal): Promise<void> {
    const start = (partNumber - 1) * upload.partSizeBytes;
    const bytes = this.file.slice(start, Math.min(start + upload.partSizeBytes, this.file.size));
    for (let attempt = 0; ; attempt++) {
      try {
        const part = await mediaApi.uploadPart(
          this.workspaceId,
          upload.media.id,
          partNumber,
          bytes,
          (loaded) => {
            this.inflight.set(partNumber, loaded);
            this.progress(0, signal);
          },
          signal,
        );
        this.inflight.delete(partNumber);
        this.confirmed += part?.sizeBytes ?? bytes.size;
        this.progress(0, signal);
        return;
      } catch (e) {
        this.inflight.delete(partNumber);
        if (isAbort(e) || !retryable(e) || attempt + 1 >= PART_ATTEMPTS) throw e;
        await wait(backoffDelay(attempt), signal);
      }
    }
  }

  /** `extra` is the single request's own count; parts report through `inflight`. */
  private progress(extra: number, signal: AbortSignal): void {
    if (signal.aborted) return;
    let loaded = this.confirmed + extra;
    for (const n of this.inflight.values()) loaded += n;
    loaded = Math.min(loaded, this.file.size);
    const now = performance.now();
    this.samples.push({ at: now, loaded });
    while (this.samples.length > 2 && now - (this.samples[0]?.at ?? now) > SPEED_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const seconds = first ? (now - first.at) / 1000 : 0;
    const bytesPerSecond = first && seconds > 0.3 ? Math.max(0, (loaded - first.loaded) / seconds) : this.snapshot.bytesPerSecond;
    const whole = !this.snapshot.resumable && loaded >= this.file.size;
    if (now - this.lastEmit < EMIT_EVERY_MS && loaded < this.file.size) {
      // Throttled, but the last value must still show once events stop (e.g. parts waiting on the server).
      this.snapshot = { ...this.snapshot, loaded, bytesPerSecond };
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined;
        if (!signal.aborted) this.progress(extra, signal);
      }, EMIT_EVERY_MS);
      return;
    }
    clearTimeout(this.trailing);
    this.trailing = undefined;
    this.lastEmit = now;
    this.set({ loaded, bytesPerSecond, note: whole ? "Checking the file…" : null });
  }
}
