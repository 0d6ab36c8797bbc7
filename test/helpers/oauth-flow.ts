import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { credentialsFor } from "../../worker/platforms/credentials";
import { PlatformHttp } from "../../worker/platforms/http";
import { newPkce } from "../../worker/platforms/oauth";
import type { AdapterContext, ConnectionAdapter, FailureKind, Grant, Outcome, PlatformFailure } from "../../worker/platforms/types";
import { consent, SANDBOX, type ConsentChoice } from "./connect";

/** An adapter context talking to the sandbox with the app credentials the tests are configured with. */
export function adapterContext(adapter: ConnectionAdapter, overrides: Partial<AdapterContext> = {}): AdapterContext {
  const credentials = credentialsFor(env, adapter.credentialsKey);
  if (!credentials || !env.SANDBOX_ORIGIN) throw new Error(`no ${adapter.credentialsKey} credentials or sandbox origin in the test env`);
  return {
    http: new PlatformHttp((request) => fetch(request), env.SANDBOX_ORIGIN),
    credentials,
    redirectUri: `http://atelier.test/oauth/${adapter.platform}/callback`,
    now: Date.now(),
    ...overrides,
  };
}

export type Consented = { params: URLSearchParams; state: string; codeVerifier: string | null };

/** The adapter's authorize URL (plus `extra` query parameters), answered unattended; returns the callback's query. */
export async function authorizeAndConsent(adapter: ConnectionAdapter, ctx: AdapterContext, choice: ConsentChoice = {}, extra: Record<string, string> = {}): Promise<Consented> {
  const state = crypto.randomUUID();
  const pkce = adapter.pkce ? await newPkce() : null;
  const url = new URL(adapter.authorizeUrl(ctx, { state, codeChallenge: pkce?.challenge ?? null }));
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
  const callback = new URL(await consent(url.toString(), choice), "http://atelier.test");
  return { params: callback.searchParams, state, codeVerifier: pkce?.verifier ?? null };
}

/** The code from an approved consent (fails the test when there is none or the state does not round-trip). */
export function codeOf(consented: Consented): string {
  expect(consented.params.get("state")).toBe(consented.state);
  const code = consented.params.get("code");
  if (!code) throw new Error(`no code in the callback: ${consented.params.toString()}`);
  return code;
}

/** Authorize → approve → exchange, expecting success. */
export async function connectGrant(adapter: ConnectionAdapter, ctx: AdapterContext, choice: ConsentChoice = {}): Promise<Grant> {
  const consented = await authorizeAndConsent(adapter, ctx, choice);
  const outcome = await adapter.exchangeCode(ctx, { code: codeOf(consented), codeVerifier: consented.codeVerifier });
  if (!outcome.ok) throw new Error(`exchange failed: ${outcome.failure.message}`);
  return outcome.value;
}

/**
 * A message a person can read: starts with a capital, ends a sentence, leaks no code artefacts. The
 * platform's own words may follow, quoted (`… TikTok said: “…”`, as the shared OAuth classifier writes).
 */
export function expectSentence(message: string): void {
  const own = message.replace(/ [A-Za-z]+ said: “[^”]*”$/, "");
  expect(own).toMatch(/^[A-Z][\s\S]{15,}[.!?]$/);
  expect(message).not.toMatch(/undefined|null|\[object|NaN|\{/);
}

/** Asserts a failed outcome of the given kind with a readable message, and returns the failure. */
export function expectFailure(outcome: Outcome<unknown>, kind: FailureKind): PlatformFailure {
  if (outcome.ok) throw new Error(`expected a ${kind} failure, got success`);
  expect(outcome.failure.kind, outcome.failure.message).toBe(kind);
  expectSentence(outcome.failure.message);
  return outcome.failure;
}

export type FaultSpec = { platform: string; path: string; status: number; method?: string; body?: unknown; headers?: Record<string, string>; mode?: "respond" | "after"; times?: number; /** Let this many matching calls through first. */ skip?: number };

/** Adds a sandbox fault (faults are global to the sandbox: keep them platform- and path-specific). */
export async function addFault(fault: FaultSpec): Promise<number> {
  const response = await fetch(`${SANDBOX}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ times: 1, ...fault }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: number }).id;
}
