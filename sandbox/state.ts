import { DurableObject } from "cloudflare:workers";
import { createSandboxApp } from "./app";
import { migrateSandbox } from "./store/schema";
import { SandboxStore } from "./store/store";

export class SandboxState extends DurableObject<Record<string, never>> {
  private readonly app: ReturnType<typeof createSandboxApp>;

  constructor(ctx: DurableObjectState, env: Record<string, never>) {
    super(ctx, env);
    migrateSandbox(ctx.storage.sql);
    this.app = createSandboxApp(new SandboxStore(ctx.storage.sql));
  }

  override fetch(request: Request): Promise<Response> | Response {
    return this.app.fetch(request);
  }
}
