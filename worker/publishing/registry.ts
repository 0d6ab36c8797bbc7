import { facebookPublisher } from "../platforms/facebook-publish";
import { instagramPublisher } from "../platforms/instagram-publish";
import { threadsPublisher } from "../platforms/threads-publish";
import type { PlatformId } from "../platforms/types";
import type { PublishAdapter } from "./types";

/** The publishing adapter of each platform that has one (ARCHITECTURE.md §2). Each platform adds one line. */
const PUBLISHERS = new Map<PlatformId, PublishAdapter>([
  ["facebook", facebookPublisher],
  ["instagram", instagramPublisher],
  ["threads", threadsPublisher],
]);

export function publisherFor(platform: PlatformId): PublishAdapter | undefined {
  return PUBLISHERS.get(platform);
}
