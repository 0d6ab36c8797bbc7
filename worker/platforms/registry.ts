import type { ConnectionAdapter, PlatformId } from "./types";

/**
 * Every platform's adapter, by id. Each platform module adds itself here with one line.
 */
const ADAPTERS = new Map<PlatformId, ConnectionAdapter>([
  // Adapter registrations (one per platform):
]);

export function adapterFor(platform: PlatformId): ConnectionAdapter | undefined {
  return ADAPTERS.get(platform);
}

export function registeredPlatforms(): PlatformId[] {
  return [...ADAPTERS.keys()];
}
