import { describe, expect, it } from "vitest";
import { changedFields, formFrom, problemsByField } from "../../web/src/features/publishing/youtube-video.ts";
import { parseTags, thumbnailProblem } from "../../web/src/features/composer/youtube-choices.ts";
import type { YoutubeVideoDetails } from "../../worker/contracts/youtube";

const video: YoutubeVideoDetails = {
  videoId: "vid123",
  url: "https://www.youtube.com/watch?v=vid123",
  title: "Harbour at dawn",
  description: "Boats leaving.",
  tags: ["harbour", "boats"],
  categoryId: "19",
  privacyStatus: "unlisted",
  madeForKids: false,
};

describe("editing a published YouTube video", () => {
  it("sends nothing when the form is as loaded (tags re-typed with other spacing count as unchanged)", () => {
    const form = { ...formFrom(video), tags: " harbour ,boats, " };
    expect(changedFields(video, form)).toEqual({});
  });

  it("sends only the fields the person changed", () => {
    const form = { ...formFrom(video), title: "Harbour at dusk", privacyStatus: "public" as const, madeForKids: true };
    expect(changedFields(video, form)).toEqual({ title: "Harbour at dusk", privacyStatus: "public", madeForKids: true });
  });

  it("sends the whole tag list when a tag changed, and an empty list when all were removed", () => {
    expect(changedFields(video, { ...formFrom(video), tags: "harbour, ships" })).toEqual({ tags: ["harbour", "ships"] });
    expect(changedFields(video, { ...formFrom(video), tags: "" })).toEqual({ tags: [] });
  });

  it("puts a refused edit's problems at their fields and keeps the rest for the form's alert", () => {
    const result = problemsByField([
      { path: "title", message: "A YouTube title can have at most 100 characters." },
      { path: "tags.1", message: "A YouTube tag cannot contain < or >." },
      { path: "tags", message: "YouTube allows at most 500 characters of tags in total." },
      { path: "snippet", message: "YouTube refused the change." },
    ]);
    expect(result.fields).toEqual({
      title: "A YouTube title can have at most 100 characters.",
      tags: "A YouTube tag cannot contain < or >. YouTube allows at most 500 characters of tags in total.",
    });
    expect(result.other).toEqual(["YouTube refused the change."]);
    expect(problemsByField(undefined)).toEqual({ fields: {}, other: [] });
  });
});

describe("YouTube composer choices", () => {
  it("turns comma-separated text into tags without empty ones", () => {
    expect(parseTags("a, b ,, c ,")).toEqual(["a", "b", "c"]);
    expect(parseTags("")).toEqual([]);
  });

  it("accepts only JPEG or PNG images of at most 2 MB as thumbnails", () => {
    expect(thumbnailProblem({ kind: "image", mimeType: "image/jpeg", sizeBytes: 2 * 1024 * 1024 })).toBeNull();
    expect(thumbnailProblem({ kind: "image", mimeType: "image/png", sizeBytes: 100 })).toBeNull();
    expect(thumbnailProblem({ kind: "image", mimeType: "image/png", sizeBytes: 2 * 1024 * 1024 + 1 })).toBe("Thumbnails can be at most 2 MB.");
    expect(thumbnailProblem({ kind: "image", mimeType: "image/webp", sizeBytes: 100 })).toBe("Only JPEG or PNG images can be thumbnails.");
    expect(thumbnailProblem({ kind: "video", mimeType: "video/mp4", sizeBytes: 100 })).toBe("Only JPEG or PNG images can be thumbnails.");
  });
});
