import { describe, expect, it } from "vitest";
import type { HttpResult } from "../../worker/platforms/http";
import { classifyMetaPublishError, containerErrorFailure, isUncertainAnswer, metaRetryAfterSeconds } from "../../worker/platforms/meta-publish-errors";
import { expectSentence } from "../helpers/oauth-flow";

function graph(status: number, error: Record<string, unknown> | null, headers: Record<string, string> = {}): HttpResult {
  const json = error ? { error: { message: "", type: "OAuthException", fbtrace_id: "Abc", ...error } } : undefined;
  return { status, headers: new Headers(headers), text: json ? JSON.stringify(json) : "", json };
}

describe("Meta publishing errors → PlatformFailure", () => {
  it("words Instagram's aspect-ratio refusal like Atelier's own validation", () => {
    const failure = classifyMetaPublishError("Instagram", graph(400, { code: 36003, error_subcode: 2207009, message: "The aspect ratio is not supported." }));
    expect(failure).toMatchObject({ kind: "fatal", status: 400, platformCode: "36003/2207009" });
    expect(failure.message).toBe("Instagram needs an aspect ratio between 4:5 and 1.91:1 for feed images; crop the image and try again.");
  });

  it("treats 9007 / 2207027 as not ready (retry after more polling), not a rejection", () => {
    const failure = classifyMetaPublishError("Instagram", graph(400, { code: 9007, error_subcode: 2207027, message: "Media ID is not available" }));
    expect(failure).toMatchObject({ kind: "retry", notReady: true, platformCode: "9007/2207027" });
    expectSentence(failure.message);
  });

  it("waits for the window on Instagram's publishing limit (code 9 / 2207042)", () => {
    const failure = classifyMetaPublishError("Instagram", graph(400, { code: 9, error_subcode: 2207042, message: "Application request limit reached" }));
    expect(failure).toMatchObject({ kind: "retry", retryAfterSeconds: 3600 });
    expectSentence(failure.message);
  });

  it.each([4, 17, 32, 613, 80001, 80002])("backs off on rate-limit code %i, using X-Business-Use-Case-Usage when present", (code) => {
    const headers = { "x-business-use-case-usage": JSON.stringify({ "104938271234567": [{ type: "pages", call_count: 100, total_cputime: 5, total_time: 5, estimated_time_to_regain_access: 7 }] }) };
    const failure = classifyMetaPublishError("Facebook", graph(400, { code, message: "(#4) Application request limit reached" }, headers));
    expect(failure).toMatchObject({ kind: "retry", retryAfterSeconds: 420 });
    expect(failure.message).toMatch(/in about 7 minutes/);
    expectSentence(failure.message);
  });

  it("reads X-App-Usage at 100 % and a bare HTTP 429 with Retry-After", () => {
    expect(metaRetryAfterSeconds(new Headers({ "x-app-usage": JSON.stringify({ call_count: 100, total_time: 20, total_cputime: 10 }) }))).toBe(600);
    expect(metaRetryAfterSeconds(new Headers({ "x-app-usage": JSON.stringify({ call_count: 40 }) }))).toBeUndefined();
    const bare = classifyMetaPublishError("Instagram", { status: 429, headers: new Headers({ "retry-after": "90" }), text: "", json: undefined });
    expect(bare).toMatchObject({ kind: "retry", status: 429, retryAfterSeconds: 90 });
    expectSentence(bare.message);
  });

  it("asks to reconnect on code 190 (as the connection layer does)", () => {
    const failure = classifyMetaPublishError("Facebook", graph(400, { code: 190, error_subcode: 460, message: "Error validating access token" }));
    expect(failure).toMatchObject({ kind: "reauth", platformCode: "190/460" });
    expect(failure.message).toMatch(/password was changed/);
  });

  it("does not retry a policy block (368) or content the platform refused", () => {
    expect(classifyMetaPublishError("Facebook", graph(400, { code: 368, message: "(#368) The action attempted has been deemed abusive" })).kind).toBe("fatal");
    const photo = classifyMetaPublishError("Facebook", graph(400, { code: 100, error_subcode: 1366046, message: "(#100) Invalid parameter" }));
    expect(photo).toMatchObject({ kind: "fatal", platformCode: "100/1366046" });
    expect(photo.message).toMatch(/under 4 MB/);
    expect(classifyMetaPublishError("Facebook", graph(400, { code: 100, error_subcode: 1404078, message: "" })).kind).toBe("reauth");
    expect(classifyMetaPublishError("Facebook", graph(400, { code: 100, error_subcode: 1390008, message: "" })).kind).toBe("retry");
  });

  it("retries transient errors and download flakes", () => {
    expect(classifyMetaPublishError("Facebook", graph(500, { code: 1, is_transient: true, message: "An unknown error occurred" })).kind).toBe("retry");
    expect(classifyMetaPublishError("Instagram", graph(400, { code: 9004, error_subcode: 2207052, message: "Only photo or video can be accepted" })).kind).toBe("retry");
    expect(classifyMetaPublishError("Instagram", { networkError: "no answer within 30 s", timedOut: true }).kind).toBe("retry");
  });

  it("reads the subcode from an ERROR container's status text", () => {
    expect(containerErrorFailure("Error: Media upload has failed with error code 2207026")).toMatchObject({ kind: "fatal", platformCode: "2207026" });
    expect(containerErrorFailure("Error: Media upload has failed with error code 2207052")).toMatchObject({ kind: "retry", platformCode: "2207052" });
    const unknown = containerErrorFailure("Error: something odd");
    expect(unknown.kind).toBe("fatal");
    expectSentence(unknown.message);
  });

  it("calls a go-live answer uncertain only when it may have acted", () => {
    expect(isUncertainAnswer({ networkError: "reset" })).toBe(true);
    expect(isUncertainAnswer(graph(500, { code: 1, message: "x" }))).toBe(true);
    expect(isUncertainAnswer({ status: 502, headers: new Headers(), text: "Bad gateway", json: undefined })).toBe(true);
    expect(isUncertainAnswer(graph(400, { code: 506, message: "Duplicate status message" }))).toBe(true);
    expect(isUncertainAnswer(graph(400, { code: 100, message: "Invalid parameter" }))).toBe(false);
    expect(isUncertainAnswer(graph(400, { code: 9007, error_subcode: 2207027, message: "not ready" }))).toBe(false);
  });
});
