import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent } from "../http/openapi";
import { newRouter } from "../http/router";

export const AppConfig = z.object({
  sandbox: z.boolean().describe("True when platform calls go to the local sandbox instead of the real platforms."),
  version: z.string(),
});

const config = createRoute({
  method: "get",
  path: "/config",
  tags: ["system"],
  summary: "Public facts the UI needs before sign-in",
  responses: { 200: jsonContent(AppConfig, "The app's public configuration.") },
});

export const APP_VERSION = "0.1.0";

export const systemRoutes = newRouter().openapi(config, (c) => c.json({ sandbox: Boolean(c.env.SANDBOX_ORIGIN), version: APP_VERSION }, 200));
