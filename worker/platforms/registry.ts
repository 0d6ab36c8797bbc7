import type { ConnectionAdapter, PlatformId } from "./types";
import { facebookAdapter } from "./facebook";
import { instagramAdapter } from "./instagram";
import { threadsAdapter } from "./threads";
import { youtubeAdapter } from "./youtube";
import { airtableAdapter } from "./airtable";
import { tiktokAdapter } from "./tiktok";
import { linkedinAdapter } from "./linkedin";

/**
 * Every platform's adapter, by id. Each platform module adds itself here with one line.
 */
const ADAPTERS = new Map<PlatformId, ConnectionAdapter>([
  // Adapter registrations (one per platform):
  ["facebook", facebookAdapter],
  ["instagram", instagramAdapter],
  ["threads", threadsAdapter],
  ["youtube", youtubeAdapter],
  ["airtable", airtableAdapter],
  ["tiktok", tiktokAdapter],
  ["linkedin", linkedinAdapter],
]);

export function adapterFor(platform: PlatformId): ConnectionAdapter | undefined {
  return ADAPTERS.get(platform);
}

export function registeredPlatforms(): PlatformId[] {
  return [...ADAPTERS.keys()];
}
