import { DurableObject } from "cloudflare:workers";
import { createSandboxApp } from "./app";
import { pumpTraffic, registerTrafficAlarm } from "./platforms/meta-inbox-traffic";
import { migrateSandbox } from "./store/schema";
import { SandboxStore } from "./store/store";

export class SandboxState extends DurableObject<Record<string, never>> {
  private readonly app: ReturnType<typeof createSandboxApp>;
  private readonly store: SandboxStore;

  constructor(ctx: DurableObjectState, env: Record<string, never>) {
    super(ctx, env);
    migrateSandbox(ctx.storage.sql);
    this.store = new SandboxStore(ctx.storage.sql);
    this.app = createSandboxApp(this.store);
    registerTrafficAlarm((at) => void ctx.storage.setAlarm(at));
  }

  /** The inbox traffic generator's clock (meta-inbox-traffic.ts). */
  override async alarm(): Promise<void> {
    await pumpTraffic(this.store);
  }

  override fetch(request: Request): Promise<Response> | Response {
    return this.app.fetch(request);
  }
}
