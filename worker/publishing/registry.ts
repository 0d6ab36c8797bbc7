import { facebookPublisher } from "../platforms/facebook-publish";
import { instagramPublisher } from "../platforms/instagram-publish";
import { linkedinPublisher } from "../platforms/linkedin-publish";
import { threadsPublisher } from "../platforms/threads-publish";
import { tiktokPublisher } from "../platforms/tiktok-publish";
import type { PlatformId } from "../platforms/types";
import { youtubePublisher } from "../platforms/youtube-publish";
import type { PublishAdapter } from "./types";

/** The publishing adapter of each platform that has one (ARCHITECTURE.md §2). Each platform adds one line. */
const PUBLISHERS = new Map<PlatformId, PublishAdapter>([
  ["facebook", facebookPublisher],
  ["instagram", instagramPublisher],
  ["linkedin", linkedinPublisher],
  ["threads", threadsPublisher],
  ["youtube", youtubePublisher],
  ["tiktok", tiktokPublisher],
]);

export function publisherFor(platform: PlatformId): PublishAdapter | undefined {
  return PUBLISHERS.get(platform);
}
