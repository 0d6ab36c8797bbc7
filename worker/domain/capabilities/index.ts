export * from "./types";
export { facebook } from "./facebook";
export { instagram } from "./instagram";
export { threads } from "./threads";
export { tiktok, TIKTOK_PRIVACY_LEVELS } from "./tiktok";
export { linkedin, LINKEDIN_VISIBILITY } from "./linkedin";
export { youtube, youtubeTagsLength, YOUTUBE_THUMBNAIL } from "./youtube";
export { CAPABILITIES, capabilitiesFor } from "./registry";
