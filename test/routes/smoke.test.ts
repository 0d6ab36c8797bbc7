import { describe, expect, it } from "vitest";
import { exports } from "cloudflare:workers";
import { makeClient, signUp } from "../helpers/client";

describe("smoke", () => {
  it("answers /healthz through the real entry point", async () => {
    const response = await exports.default.fetch("http://atelier.test/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it("signs up and reads /api/me with the cookie", async () => {
    const client = makeClient();
    const user = await signUp(client);
    const me = await client.call("GET", "/api/me", { cookie: user.cookie });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: user.id, email: user.email });
  });
});
