import type { PlatformModule } from ".";
import { metaGraphRoutes } from "./meta-graph";
import { metaDialogRoutes } from "./meta-oauth";

/** Facebook Login and the Graph API as Facebook Pages and Instagram (via Facebook Login) use them. */
export const metaModule: PlatformModule = {
  platform: "meta",
  hosts: ["www.facebook.com", "graph.facebook.com"],
  routes: (host) => (host === "www.facebook.com" ? metaDialogRoutes() : metaGraphRoutes()),
};
