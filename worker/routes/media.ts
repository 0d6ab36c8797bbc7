import { newRouter } from "../http/router";
import { mediaImportRoutes } from "./media-import";
import { mediaLibraryRoutes } from "./media-library";
import { mediaUploadRoutes } from "./media-uploads";

/** `/api/workspaces/{id}/media…`: the library, uploads (small and multipart) and URL imports. */
export const mediaRoutes = newRouter().route("/", mediaUploadRoutes).route("/", mediaImportRoutes).route("/", mediaLibraryRoutes);
