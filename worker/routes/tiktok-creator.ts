import { newRouter } from "../http/router";

/** `GET /{id}/connections/{connectionId}/tiktok/creator-info` (contract: worker/contracts/tiktok.ts). */
export const tiktokCreatorRoutes = newRouter();
