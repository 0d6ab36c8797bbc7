import { facebook } from "./facebook";
import { instagram } from "./instagram";
import { linkedin } from "./linkedin";
import { threads } from "./threads";
import { tiktok } from "./tiktok";
import type { PlatformCapabilities } from "./types";
import { youtube } from "./youtube";

/** Channels that can carry posts. Airtable is a content source, not a channel, so it has none. */
export const CAPABILITIES: Record<string, PlatformCapabilities> = { facebook, instagram, threads, tiktok, linkedin, youtube };

export function capabilitiesFor(platform: string): PlatformCapabilities | undefined {
  return CAPABILITIES[platform];
}
