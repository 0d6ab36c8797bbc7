import { YoutubeVideoDetails, type YoutubeVideoEdit } from "../../../../worker/contracts/youtube.ts";
import { api } from "../../api/http.ts";
import { parseWith } from "../../api/parse.ts";

const videoPath = (workspaceId: string, postId: string, targetId: string) =>
  `/api/workspaces/${encodeURIComponent(workspaceId)}/posts/${encodeURIComponent(postId)}/targets/${encodeURIComponent(targetId)}/youtube`;

export const youtubeVideoApi = {
  /** The video as YouTube has it now (not as Atelier published it: it may have been edited in YouTube Studio). */
  get: async (workspaceId: string, postId: string, targetId: string, signal?: AbortSignal) =>
    parseWith(YoutubeVideoDetails, await api.get<unknown>(videoPath(workspaceId, postId, targetId), { signal })),
  /** Sends the changed fields; resolves with the video as YouTube now reports it, or null when the answer does not say. */
  update: async (workspaceId: string, postId: string, targetId: string, edit: YoutubeVideoEdit): Promise<YoutubeVideoDetails | null> => {
    const body = await api.patch<unknown>(videoPath(workspaceId, postId, targetId), edit);
    const parsed = YoutubeVideoDetails.safeParse(body);
    return parsed.success ? parsed.data : null;
  },
};
