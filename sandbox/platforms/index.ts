import type { Hono } from "hono";
import type { SandboxEnv } from "../app";
import { metaModule } from "./meta";
import { threadsModule } from "./threads";
import { airtableModule } from "./airtable";
import { googleModule } from "./google";
import { tiktokSandbox } from "./tiktok";
import { linkedinSandbox } from "./linkedin";
import { mediaHostModule } from "./media-host";

/** One simulated platform: the hosts it answers for and a router per host (paths after the host). */
export type PlatformModule = {
  platform: string;
  hosts: string[];
  routes: (host: string) => Hono<SandboxEnv>;
};

/** Registered platforms. Each module lives in its own file beside this one. */
export const PLATFORM_MODULES: PlatformModule[] = [
  metaModule,
  threadsModule,
  googleModule,
  airtableModule,
  tiktokSandbox,
  linkedinSandbox,
  mediaHostModule,
];
