import { z } from "zod";
import { credentialSecretNames } from "./credentials";
import { isNetworkFailure, type HttpResult, type NetworkFailure } from "./http";
import { classifyOAuthError, retryAfter } from "./oauth";
import type { PlatformFailure } from "./types";

/** After a 429 Airtable refuses every request for 30 seconds, so no retry is useful sooner. */
export const AIRTABLE_PENALTY_SECONDS = 30;

/** Airtable's two error shapes: `{error:{type,message}}` and `{error:"NOT_FOUND"}`. */
const AirtableErrorBody = z.object({
  error: z.union([z.string(), z.object({ type: z.string(), message: z.string().optional() })]),
});

const OAuthErrorCode = z.object({ error: z.string() });

function penalty(result: HttpResult): number {
  return Math.max(AIRTABLE_PENALTY_SECONDS, retryAfter(result) ?? 0);
}

/** A failed Airtable Web API call → what to do, with a sentence a person understands. */
export function classifyAirtableError(result: HttpResult | NetworkFailure): PlatformFailure {
  if (isNetworkFailure(result)) return { kind: "retry", message: `Airtable could not be reached (${result.networkError}). Atelier will try again shortly.` };
  const parsed = AirtableErrorBody.safeParse(result.json);
  const type = parsed.success ? (typeof parsed.data.error === "string" ? parsed.data.error : parsed.data.error.type) : undefined;
  const detail = parsed.success && typeof parsed.data.error === "object" ? parsed.data.error.message : undefined;
  const base = { status: result.status, platformCode: type };
  const said = detail ? ` Airtable said: “${detail}”` : "";

  if (type === "PUBLIC_API_BILLING_LIMIT_EXCEEDED") {
    // Retrying cannot help until the plan's monthly allowance renews or the plan is upgraded.
    return { ...base, kind: "fatal", message: "The Airtable workspace has used up its plan's monthly API calls. Reading resumes when the allowance renews next month or the plan is upgraded." };
  }
  if (result.status === 429) {
    return { ...base, kind: "retry", retryAfterSeconds: penalty(result), message: `Airtable is rate limiting Atelier (at most 5 requests per second per base). Atelier will wait ${penalty(result)} seconds and try again.` };
  }
  if (result.status >= 500) return { ...base, kind: "retry", message: `Airtable had a temporary problem (HTTP ${result.status}). Atelier will try again shortly.` };
  if (result.status === 401) return { ...base, kind: "refresh", message: "Airtable did not accept the access token (it expired or was revoked). Atelier will renew it and try again." };
  if (result.status === 403) {
    return { ...base, kind: "reauth", message: `Airtable says Atelier has no access to this: the permission or base was not shared when Airtable was connected. Connect Airtable again and share it.${said}` };
  }
  if (result.status === 404) return { ...base, kind: "fatal", message: `Airtable could not find the base, table or record Atelier asked for. It may have been deleted or renamed.${said}` };
  if (type === "LIST_RECORDS_ITERATOR_NOT_AVAILABLE" || type === "INVALID_OFFSET_VALUE") {
    return { ...base, kind: "retry", message: "Airtable's page marker expired before Atelier read every page. Atelier will start again from the first page." };
  }
  if (result.status === 413) return { ...base, kind: "fatal", message: `Airtable refused the request because it was too large.${said}` };
  return { ...base, kind: "fatal", message: `Airtable refused the request (HTTP ${result.status}${type ? `, ${type}` : ""}).${said}` };
}

/** A failed call to Airtable's token endpoint. */
export function classifyAirtableTokenError(result: HttpResult | NetworkFailure): PlatformFailure {
  const failure = classifyOAuthError("Airtable", result);
  if (isNetworkFailure(result)) return failure;
  if (result.status === 429) return { ...failure, retryAfterSeconds: penalty(result), message: `Airtable is rate limiting Atelier. Atelier will wait ${penalty(result)} seconds and try again.` };
  const code = OAuthErrorCode.safeParse(result.json).data?.error;
  if (code === "invalid_client" || code === "unauthorized_client") {
    const [idName, secretName] = credentialSecretNames("airtable");
    return { ...failure, kind: "fatal", message: `Airtable rejected Atelier's OAuth integration credentials (${code}). An administrator must check the ${idName} and ${secretName} secrets against the integration registered at airtable.com/create/oauth.` };
  }
  return failure;
}
