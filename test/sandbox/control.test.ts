import { describe, expect, it } from "vitest";

const SANDBOX = "http://sandbox.test";

describe("sandbox control API", () => {
  it("is reachable as a second worker and reports its health", async () => {
    const response = await fetch(`${SANDBOX}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, service: "atelier-sandbox" });
  });

  // Faults, grants and the clock are shared by every test file running in parallel, so this file never
  // resets or clears them; it uses a platform name no other test uses.
  it("stores a fault and lists it with its remaining uses", async () => {
    const created = await fetch(`${SANDBOX}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ platform: "control-test", path: "/v2/**", status: 503, times: 2 }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const { faults } = (await (await fetch(`${SANDBOX}/_sandbox/faults`)).json()) as { faults: { id: number; platform: string; path_pattern: string; remaining: number }[] };
    expect(faults.find((f) => f.id === id)).toMatchObject({ platform: "control-test", path_pattern: "/v2/**", remaining: 2 });
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
