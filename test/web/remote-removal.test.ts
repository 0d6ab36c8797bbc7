import { describe, expect, it } from "vitest";
import { removalOn, splitByRemoval } from "../../web/src/features/publishing/remote-removal.ts";
import { PLATFORMS, type Platform } from "../../worker/contracts/connections";

describe("what deleting on the platforms does, per platform", () => {
  it("tells the person what each platform does with the live post", () => {
    expect(removalOn("facebook").outcome).toBe("Removed from the Page.");
    expect(removalOn("instagram").outcome).toBe("Instagram's API cannot delete posts, so it stays live. Delete it in the Instagram app.");
    expect(removalOn("threads").outcome).toBe("Removed from the profile.");
    expect(removalOn("tiktok").outcome).toBe("TikTok's API cannot delete videos, so it stays live. Delete it in the TikTok app.");
    expect(removalOn("linkedin").outcome).toBe("Removed from the feed.");
    expect(removalOn("youtube").outcome).toBe("The video is deleted from the channel permanently: its views and comments are lost.");
  });

  it("only YouTube's deletion loses more than the post (views and comments), so only it is marked permanent", () => {
    const permanent = PLATFORMS.filter((p) => removalOn(p).permanent);
    expect(permanent).toEqual(["youtube"]);
  });

  it("has a sentence for every platform, and the ones that cannot delete say where to do it by hand", () => {
    for (const platform of PLATFORMS) {
      const removal = removalOn(platform);
      expect(removal.outcome).toMatch(/\.$/);
      if (!removal.deletes && platform !== "airtable") expect(removal.outcome).toMatch(/stays live\. Delete it in the \w+ app\.$/);
    }
  });

  it("splits live channels into those Atelier deletes and those that stay live", () => {
    const live: { id: string; platform: Platform }[] = [
      { id: "a", platform: "facebook" },
      { id: "b", platform: "instagram" },
      { id: "c", platform: "youtube" },
      { id: "d", platform: "tiktok" },
      { id: "e", platform: "linkedin" },
      { id: "f", platform: "threads" },
    ];
    const { deleted, kept } = splitByRemoval(live);
    expect(deleted.map((t) => t.id)).toEqual(["a", "c", "e", "f"]);
    expect(kept.map((t) => t.id)).toEqual(["b", "d"]);
  });
});
