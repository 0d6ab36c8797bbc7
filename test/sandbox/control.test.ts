import { describe, expect, it } from "vitest";

const SANDBOX = "http://sandbox.test";

describe("sandbox control API", () => {
  it("is reachable as a second worker and reports its health", async () => {
    const response = await fetch(`${SANDBOX}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, service: "atelier-sandbox" });
  });

  it("stores faults, lists them, and clears them on reset", async () => {
    const created = await fetch(`${SANDBOX}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform: "tiktok", path: "/v2/**", status: 503, times: 2 }) });
    expect(created.status).toBe(201);
    const { faults } = (await (await fetch(`${SANDBOX}/_sandbox/faults`)).json()) as { faults: { path_pattern: string; remaining: number }[] };
    expect(faults).toEqual([expect.objectContaining({ path_pattern: "/v2/**", remaining: 2 })]);
    expect((await fetch(`${SANDBOX}/_sandbox/reset`, { method: "POST" })).status).toBe(200);
    expect(((await (await fetch(`${SANDBOX}/_sandbox/faults`)).json()) as { faults: unknown[] }).faults).toEqual([]);
  });

  it("refuses a malformed fault", async () => {
    const response = await fetch(`${SANDBOX}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: 99 }) });
    expect(response.status).toBe(400);
  });

  it("shows a page for people", async () => {
    const response = await fetch(`${SANDBOX}/_sandbox`);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(await response.text()).toContain("Atelier platform sandbox");
  });
});
