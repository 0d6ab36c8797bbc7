import { SandboxState } from "./state";

export { SandboxState };

type SandboxEnv = { SANDBOX_STATE: DurableObjectNamespace<SandboxState> };

/**
 * Every request goes to one Durable Object holding the whole simulated world (tokens, assets, call
 * log, faults), so state is consistent, survives restarts (SQLite storage) and needs no other service.
 */
export default {
  fetch(request: Request, env: SandboxEnv): Promise<Response> {
    return env.SANDBOX_STATE.get(env.SANDBOX_STATE.idFromName("world")).fetch(request);
  },
} satisfies ExportedHandler<SandboxEnv>;
