import type { PlatformModule } from ".";
import { metaGraphRoutes } from "./meta-graph";
import { metaDialogRoutes } from "./meta-oauth";
import { ruploadRoutes } from "./meta-rupload";

/** Facebook Login and the Graph API as Facebook Pages and Instagram (via Facebook Login) use them. */
export const metaModule: PlatformModule = {
  platform: "meta",
  // graph-video.facebook.com serves the same Graph paths (video uploads); rupload.facebook.com takes Reel and IG resumable bytes.
  hosts: ["www.facebook.com", "graph.facebook.com", "graph-video.facebook.com", "rupload.facebook.com"],
  routes: (host) => (host === "www.facebook.com" ? metaDialogRoutes() : host === "rupload.facebook.com" ? ruploadRoutes() : metaGraphRoutes()),
};
