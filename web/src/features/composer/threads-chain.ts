import { THREADS_CHAIN_MAX } from "../../../../worker/domain/capabilities/threads.ts";

/**
 * Threads reply chains (`options.chain`): more posts published as replies under the first, in order.
 * The limits mirror the validator's (worker/domain/capabilities/threads.ts); the composer counts with
 * them live, the validator has the last word.
 */
export const CHAIN_MAX_POSTS = THREADS_CHAIN_MAX;
export const CHAIN_POST_MAX_CHARS = 500;

/** The chain stored in a target's options (anything that is not a list of strings reads as none). */
export function chainOf(options: Record<string, unknown>): string[] {
  const chain = options.chain;
  return Array.isArray(chain) ? chain.filter((item): item is string => typeof item === "string") : [];
}

/** Threads counts characters as code points (the same counting as the first post; unverified for emoji). */
export const chainChars = (text: string): number => [...text].length;

export const canAddPost = (chain: string[]): boolean => chain.length < CHAIN_MAX_POSTS;

export const addPost = (chain: string[]): string[] => (canAddPost(chain) ? [...chain, ""] : chain);

export const removePost = (chain: string[], index: number): string[] => chain.filter((_, i) => i !== index);

export const editPost = (chain: string[], index: number, text: string): string[] => chain.map((item, i) => (i === index ? text : item));

/** Moves one post `by` places (−1 up, +1 down); a move past either end changes nothing. */
export function movePost(chain: string[], index: number, by: -1 | 1): string[] {
  const to = index + by;
  if (index < 0 || index >= chain.length || to < 0 || to >= chain.length) return chain;
  const next = [...chain];
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item as string);
  return next;
}

/** The options patch for a chain: an empty chain is left out, so a plain post sends no `chain` at all. */
export const chainPatch = (chain: string[]): { chain: string[] | undefined } => ({ chain: chain.length ? chain : undefined });
