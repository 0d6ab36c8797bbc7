import { z } from "zod";
import type { PublishJob } from "../publishing/types";
import { isNetworkFailure, withQuery, type HttpResult, type NetworkFailure } from "./http";
import { classifyGraphError } from "./meta-graph";
import type { AdapterContext, PlatformFailure } from "./types";

/**
 * The Threads Graph calls the publisher and the reply chain share (shared/platforms/threads.md):
 * the one request helper (form bodies, Bearer token, zod on every 2xx), error sentences, container
 * creation and status reads.
 */
export const NAME = "Threads";
export const API = "https://graph.threads.net/v1.0";

export const Created = z.object({ id: z.coerce.string().min(1) });
const ContainerStatus = z.object({ id: z.coerce.string().optional(), status: z.string().optional(), error_message: z.string().optional() });

const Envelope = z.object({
  error: z.object({ message: z.string().default(""), code: z.coerce.number().int(), error_subcode: z.coerce.number().int().optional(), error_user_msg: z.string().optional() }),
});

export type ThreadsFailure = PlatformFailure & { notReady?: boolean };

/** Threads' own refusals, in words a person understands; token, permission and rate problems go through `classifyGraphError`. */
export function classifyThreadsError(result: HttpResult | NetworkFailure): ThreadsFailure {
  const caller = { name: NAME, credentialsKey: "threads" as const };
  if (isNetworkFailure(result)) return classifyGraphError(caller, result);
  const parsed = Envelope.safeParse(result.json);
  if (!parsed.success) return classifyGraphError(caller, result);
  const e = parsed.data.error;
  const status = result.status;
  const platformCode = e.error_subcode === undefined ? String(e.code) : `${e.code}/${e.error_subcode}`;
  const base = { status, platformCode };
  const said = `${e.message} ${e.error_user_msg ?? ""}`;
  if (e.error_subcode === 4279009 || e.code === 24) {
    return { ...base, kind: "retry", notReady: true, message: "Threads is still processing the post, so it cannot be published yet. Atelier will check again shortly." };
  }
  if (e.code === 9 || e.error_subcode === 2207042) {
    return { ...base, kind: "retry", retryAfterSeconds: 3600, message: "Threads allows 250 posts through its API every 24 hours and this profile has used all of them. Atelier will try again in an hour." };
  }
  if (/at most 500 characters/i.test(said)) return { ...base, kind: "fatal", message: "Threads says the text is too long; posts can have at most 500 characters." };
  if (/could not be fetched/i.test(said) || e.error_subcode === 2207052) return { ...base, kind: "retry", message: "Threads could not download the media from Atelier. Atelier will try again." };
  if (e.code === 4279013 || e.error_subcode === 4279013) return { ...base, kind: "fatal", message: "Threads has restricted this profile, so it cannot publish right now. Check the profile in the Threads app." };
  if (e.error_subcode === 2207051 || e.code === 2207051) return { ...base, kind: "fatal", message: "Threads blocked this action to protect its community. Check the profile in the Threads app." };
  return classifyGraphError(caller, result);
}

/** A container in `ERROR`: its `error_message` (threads.md §2.2) as a sentence. */
export function containerErrorFailure(errorMessage: string | undefined): PlatformFailure {
  const code = (errorMessage ?? "").trim().toUpperCase();
  const platformCode = code || undefined;
  switch (code) {
    case "FAILED_DOWNLOADING_VIDEO":
      return { kind: "retry", platformCode, message: "Threads could not download the video from Atelier. Atelier will try again." };
    case "FAILED_PROCESSING_VIDEO":
    case "FAILED_PROCESSING_AUDIO":
      return { kind: "fatal", platformCode, message: "Threads could not process the video; use an MP4 or MOV with H.264 or HEVC video and AAC audio." };
    case "INVALID_ASPEC_RATIO":
    case "INVALID_ASPECT_RATIO":
      return { kind: "fatal", platformCode, message: "Threads does not accept the aspect ratio of this media; crop it to at most 10:1 and try again." };
    case "INVALID_BIT_RATE":
      return { kind: "fatal", platformCode, message: "Threads does not accept the bit rate of this video; keep it under 100 Mbps." };
    case "INVALID_DURATION":
      return { kind: "fatal", platformCode, message: "Threads does not accept the length of this video; videos can be at most 5 minutes long." };
    case "INVALID_FRAME_RATE":
      return { kind: "fatal", platformCode, message: "Threads does not accept the frame rate of this video; use 23 to 60 frames per second." };
    default:
      return { kind: "fatal", ...(platformCode ? { platformCode } : {}), message: `Threads could not process the media${code ? ` (it reported “${code}”)` : ""}.` };
  }
}

/** A 5xx, no answer at all, or a 2xx we cannot read: for the go-live call the outcome is open. */
export function isUncertain(result: HttpResult | NetworkFailure): boolean {
  return isNetworkFailure(result) || result.status >= 500;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; failure: ThreadsFailure; uncertain: boolean; gone: boolean; why: string };

/** Every Threads call: parameters as a form body, the token in the Authorization header, every 2xx parsed with zod. */
export async function send<T extends z.ZodType>(ctx: AdapterContext, url: string, schema: T, token: string, request: { method?: "GET" | "POST" | "DELETE"; form?: Record<string, string | undefined> } = {}): Promise<Answer<z.infer<T>>> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  let body: URLSearchParams | undefined;
  if (request.form) {
    body = new URLSearchParams();
    for (const [key, value] of Object.entries(request.form)) if (value !== undefined) body.set(key, value);
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  const raw = await ctx.http.request(url, { method: request.method ?? (body ? "POST" : "GET"), headers, ...(body ? { body } : {}) });
  if (isNetworkFailure(raw) || raw.status < 200 || raw.status >= 300) {
    const why = isNetworkFailure(raw) ? raw.networkError : `HTTP ${raw.status}`;
    const gone = !isNetworkFailure(raw) && (raw.status === 404 || (() => {
      const e = Envelope.safeParse(raw.json);
      return e.success && e.data.error.code === 100 && e.data.error.error_subcode === 33;
    })());
    return { ok: false, failure: classifyThreadsError(raw), uncertain: isUncertain(raw), gone, why };
  }
  const parsed = schema.safeParse(raw.json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, uncertain: true, gone: false, why: "an unreadable answer", failure: { kind: "fatal", status: raw.status, message: `${NAME} answered in an unexpected shape (${parsed.error.issues[0]?.message ?? "unknown"}).` } };
}

export const userOf = (job: Pick<PublishJob, "channel">) => job.channel.metadata.threadsUserId ?? job.channel.externalId;
export async function createContainer(ctx: AdapterContext, job: PublishJob, params: Record<string, string | undefined>): Promise<Answer<{ id: string }>> {
  return send(ctx, `${API}/${userOf(job)}/threads`, Created, job.accessToken, { form: params });
}

export type Status = { ok: true; code: string; errorMessage: string | undefined } | { ok: false; failure: PlatformFailure; gone: boolean };

export async function containerStatus(ctx: AdapterContext, job: PublishJob, id: string): Promise<Status> {
  const answer = await send(ctx, withQuery(`${API}/${id}`, { fields: "status,error_message" }), ContainerStatus, job.accessToken);
  if (!answer.ok) return { ok: false, failure: answer.failure, gone: answer.gone };
  return { ok: true, code: (answer.value.status ?? "").toUpperCase(), errorMessage: answer.value.error_message };
}

