import { z } from "zod";

const Secrets = z.object({
  SESSION_SECRET: z
    .string({ error: "SESSION_SECRET is not set. Run `npm start` (it writes .dev.vars) or `wrangler secret put SESSION_SECRET`." })
    .min(32, "SESSION_SECRET must be at least 32 characters of random data."),
  APP_ORIGIN: z.union([z.literal(""), z.url()]).optional(),
  SANDBOX_ORIGIN: z.union([z.literal(""), z.url()]).optional(),
});
export type Secrets = z.infer<typeof Secrets>;

let cached: { env: Env; value: Secrets } | undefined;

/** Secrets are parsed once per isolate; a missing or weak one fails loudly with a sentence saying how to fix it. */
export function secrets(env: Env): Secrets {
  if (cached?.env === env) return cached.value;
  const parsed = Secrets.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Atelier is misconfigured: ${parsed.error.issues.map((i) => i.message).join(" ")}`);
  }
  cached = { env, value: parsed.data };
  return parsed.data;
}
