import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SANDBOX_APPS } from "../../sandbox/apps";
import { credentialsFor } from "../../worker/platforms/credentials";

describe("sandbox app credentials", () => {
  it("are exactly what the app is configured with in tests (and in npm start's .dev.vars)", () => {
    for (const key of Object.keys(SANDBOX_APPS) as (keyof typeof SANDBOX_APPS)[]) {
      expect(credentialsFor(env, key)).toEqual(SANDBOX_APPS[key]);
    }
  });
});
