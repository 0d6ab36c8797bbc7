const SEEK_TO_SECONDS = 1;
const GIVE_UP_AFTER_MS = 15_000;

/**
 * A JPEG of the frame about one second in (or the middle of shorter clips), decoded by the browser from
 * the local file. Resolves null when the browser cannot decode the video: a missing poster is not an error.
 */
export function posterFrame(file: Blob): Promise<Blob | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement("video");
    let settled = false;
    const finish = (blob: Blob | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      video.removeAttribute("src");
      video.load();
      URL.revokeObjectURL(url);
      resolve(blob);
    };
    const timer = setTimeout(() => finish(null), GIVE_UP_AFTER_MS);
    video.muted = true;
    video.playsInline = true;
    video.preload = "auto";
    video.addEventListener("error", () => finish(null));
    video.addEventListener("loadedmetadata", () => {
      const d = Number.isFinite(video.duration) ? video.duration : 0;
      video.currentTime = d > 0 ? Math.min(SEEK_TO_SECONDS, d / 2) : 0;
    });
    video.addEventListener("seeked", () => {
      if (!video.videoWidth || !video.videoHeight) return finish(null);
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const ctx = canvas.getContext("2d");
      if (!ctx) return finish(null);
      ctx.drawImage(video, 0, 0);
      canvas.toBlob((blob) => finish(blob), "image/jpeg", 0.85);
    });
    video.src = url;
  });
}
