import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { validationHook } from "./validation";

/** Every resource's sub-app: input that fails its zod schema becomes a 400 problem before the handler runs. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: (result) => validationHook(result, result.target) });
}
