import { describe, expect, it } from "vitest";
import { addPost, canAddPost, chainChars, chainOf, chainPatch, CHAIN_MAX_POSTS, editPost, movePost, removePost } from "../../web/src/features/composer/threads-chain.ts";

describe("the Threads reply chain editor's list operations", () => {
  it("reads the chain from the options, ignoring anything that is not text", () => {
    expect(chainOf({})).toEqual([]);
    expect(chainOf({ chain: "not a list" })).toEqual([]);
    expect(chainOf({ chain: ["one", 2, "three"] })).toEqual(["one", "three"]);
  });

  it("adds empty posts at the end up to the limit of 10, and no further", () => {
    let chain: string[] = [];
    for (let i = 0; i < CHAIN_MAX_POSTS + 3; i++) chain = addPost(chain);
    expect(chain).toHaveLength(10);
    expect(chain.every((t) => t === "")).toBe(true);
    expect(canAddPost(chain)).toBe(false);
    expect(canAddPost(chain.slice(1))).toBe(true);
  });

  it("edits, removes and moves one post, keeping the others in order", () => {
    const chain = ["a", "b", "c"];
    expect(editPost(chain, 1, "B")).toEqual(["a", "B", "c"]);
    expect(removePost(chain, 0)).toEqual(["b", "c"]);
    expect(movePost(chain, 2, -1)).toEqual(["a", "c", "b"]);
    expect(movePost(chain, 0, 1)).toEqual(["b", "a", "c"]);
    expect(chain).toEqual(["a", "b", "c"]);
  });

  it("leaves the chain as it is when a move would go past either end", () => {
    const chain = ["a", "b"];
    expect(movePost(chain, 0, -1)).toBe(chain);
    expect(movePost(chain, 1, 1)).toBe(chain);
    expect(movePost(chain, 5, 1)).toBe(chain);
  });

  it("counts characters as Threads does (an emoji or accented letter is one)", () => {
    expect(chainChars("héllo")).toBe(5);
    expect(chainChars("🎉🎉")).toBe(2);
    expect(chainChars("x".repeat(500))).toBe(500);
  });

  it("sends no chain at all for a plain post, and the list as it is otherwise", () => {
    expect(chainPatch([])).toEqual({ chain: undefined });
    expect(chainPatch(["more"])).toEqual({ chain: ["more"] });
  });
});
