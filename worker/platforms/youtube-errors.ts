import { z } from "zod";
import { credentialSecretNames } from "./credentials";
import { isNetworkFailure, type HttpResult, type NetworkFailure } from "./http";
import { classifyOAuthError, retryAfter } from "./oauth";
import type { PlatformFailure } from "./types";

/** Google's API error envelope: `{error:{code,message,errors:[{reason,domain,message}],status}}`. */
const GoogleApiError = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z.array(z.object({ reason: z.string().optional(), domain: z.string().optional(), message: z.string().optional() })).optional(),
  }),
});

const OAuthErrorCode = z.object({ error: z.string() });

export const NO_CHANNEL_MESSAGE =
  "The Google account you chose has no YouTube channel. Create a channel on YouTube (or choose the channel's account on Google's consent screen), then connect again.";

/** Seconds until the next midnight in America/Los_Angeles, when YouTube quotas reset (±1 h on DST change days). */
export function secondsUntilPacificMidnight(now: number): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: "America/Los_Angeles", hourCycle: "h23", hour: "numeric", minute: "numeric", second: "numeric" }).formatToParts(new Date(now));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? "0");
  const elapsed = part("hour") * 3600 + part("minute") * 60 + part("second");
  return Math.max(60, 24 * 3600 - elapsed);
}

/** A failed call to the YouTube Data API → what to do, with a sentence a person understands. */
export function classifyYoutubeError(result: HttpResult | NetworkFailure, now: number): PlatformFailure {
  if (isNetworkFailure(result)) return { kind: "retry", message: `YouTube could not be reached (${result.networkError}). Atelier will try again shortly.` };
  const parsed = GoogleApiError.safeParse(result.json);
  const error = parsed.success ? parsed.data.error : undefined;
  const reason = error?.errors?.[0]?.reason;
  const base = { status: result.status, platformCode: reason ?? error?.status };
  const said = error?.message ? ` YouTube said: “${error.message}”` : "";

  switch (reason) {
    case "quotaExceeded":
    case "dailyLimitExceeded":
      return { ...base, kind: "retry", retryAfterSeconds: secondsUntilPacificMidnight(now), message: `Atelier has used up today's YouTube API quota. The quota resets at midnight Pacific Time (${new Date(now + secondsUntilPacificMidnight(now) * 1000).toISOString().slice(11, 16)} UTC); Atelier will continue after that.` };
    case "rateLimitExceeded":
    case "userRateLimitExceeded":
      return { ...base, kind: "retry", retryAfterSeconds: retryAfter(result) ?? 60, message: "YouTube is receiving requests from Atelier too quickly. Atelier will slow down and try again in a minute." };
    case "authError":
      return { ...base, kind: "refresh", message: "YouTube did not accept the access token (it expired or was revoked). Atelier will renew it and try again." };
    case "youtubeSignupRequired":
      return { ...base, kind: "reauth", message: NO_CHANNEL_MESSAGE };
    case "insufficientPermissions":
      return { ...base, kind: "reauth", message: "Google did not give Atelier permission to see or manage this YouTube channel. Connect YouTube again and leave every permission ticked." };
    case "forbidden":
      return { ...base, kind: "reauth", message: `YouTube says the connected account is not allowed to do this. Connect YouTube again with the account that owns the channel.${said}` };
    case "uploadLimitExceeded":
      // The channel's own cap (how long it lasts is not documented): checked again hourly.
      return { ...base, kind: "retry", retryAfterSeconds: 3600, message: "This YouTube channel has reached its upload limit for now. Atelier will try again in an hour." };
    case "backendError":
      return { ...base, kind: "retry", message: "YouTube had a temporary problem. Atelier will try again shortly." };
  }
  if (result.status === 401) return { ...base, kind: "refresh", message: "YouTube did not accept the access token (it expired or was revoked). Atelier will renew it and try again." };
  if (result.status === 429) return { ...base, kind: "retry", retryAfterSeconds: retryAfter(result) ?? 60, message: "YouTube is receiving requests from Atelier too quickly. Atelier will slow down and try again in a minute." };
  if (result.status >= 500) return { ...base, kind: "retry", message: `YouTube had a temporary problem (HTTP ${result.status}). Atelier will try again shortly.` };
  return { ...base, kind: "fatal", message: `YouTube refused the request (HTTP ${result.status}${reason ? `, ${reason}` : ""}).${said}` };
}

/** A failed call to Google's token or revoke endpoint, with Google's own codes named in plain words. */
export function classifyGoogleTokenError(result: HttpResult | NetworkFailure, redirectUri: string): PlatformFailure {
  const failure = classifyOAuthError("Google", result);
  if (isNetworkFailure(result)) return failure;
  const code = OAuthErrorCode.safeParse(result.json).data?.error;
  if (code === "invalid_client" || code === "unauthorized_client") {
    const [idName, secretName] = credentialSecretNames("google");
    return { ...failure, kind: "fatal", message: `Google rejected Atelier's OAuth client credentials (${code}). An administrator must check the ${idName} and ${secretName} secrets against the Google Cloud console.` };
  }
  if (code === "redirect_uri_mismatch") {
    return { ...failure, kind: "fatal", platformCode: code, message: `Google says the redirect URI ${redirectUri} does not match the one used to sign in or is not registered for Atelier's OAuth client. An administrator must register it exactly in the Google Cloud console.` };
  }
  return failure;
}
