import { newRouter } from "../http/router";

/** `GET` / `PATCH /{id}/posts/{postId}/targets/{targetId}/youtube` (contract: worker/contracts/youtube.ts). */
export const youtubeVideoRoutes = newRouter();
