import { Button } from "../../ui/button.tsx";
import type { optionControls } from "./option-fields.tsx";
import { addPost, canAddPost, chainChars, chainOf, chainPatch, CHAIN_MAX_POSTS, CHAIN_POST_MAX_CHARS, editPost, movePost, removePost } from "./threads-chain.ts";

/** Puts focus on an element once Preact has rendered the change that created or moved it. */
function focusSoon(id: string) {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/**
 * The Threads reply chain: posts published as replies under the first, in order. Each has its own
 * live count; a problem at `options.chain.N` shows under post N, one about the whole chain above them.
 */
export function ThreadsChainEditor({ controls }: { controls: ReturnType<typeof optionControls> }) {
  const { id, opt, setMany, messages, exactMessages } = controls;
  const chain = chainOf(opt);
  const listId = id("options.chain");
  const itemId = (i: number) => `${listId}-${i}`;
  const save = (next: string[]) => setMany(chainPatch(next));
  const chainLevel = exactMessages("options.chain");

  // Focus follows the post that moved (onto a button still enabled at its new place), or the neighbour of a removed one.
  const move = (i: number, by: -1 | 1) => {
    save(movePost(chain, i, by));
    const to = i + by;
    const atEdge = by === -1 ? to === 0 : to === chain.length - 1;
    focusSoon(`${itemId(to)}-${(by === -1) !== atEdge ? "up" : "down"}`);
  };
  const remove = (i: number) => {
    save(removePost(chain, i));
    focusSoon(chain.length > 1 ? itemId(Math.max(0, i - 1)) : `${listId}-add`);
  };
  const add = () => {
    save(addPost(chain));
    focusSoon(itemId(chain.length));
  };

  return (
    <fieldset class="threads-chain" id={listId} tabIndex={-1}>
      <legend class="field-label">Replies in the thread</legend>
      <p class="field-hint">Published as replies under the first post, in this order (up to {CHAIN_MAX_POSTS}).</p>
      {chainLevel.length > 0 && <p class="field-error">⚠ {chainLevel.join(" ")}</p>}
      {chain.length > 0 && (
        <ol class="chain-list">
          {chain.map((text, i) => {
            const count = chainChars(text);
            const problems = messages(`options.chain.${i}`);
            const over = count > CHAIN_POST_MAX_CHARS;
            const label = `Reply ${i + 1} of ${chain.length}`;
            return (
              <li key={i} class={`chain-item${problems.length ? " field-invalid" : ""}`}>
                <label for={itemId(i)} class="field-label">
                  {label}
                </label>
                <textarea
                  id={itemId(i)}
                  class="input"
                  rows={2}
                  value={text}
                  onInput={(e) => save(editPost(chain, i, e.currentTarget.value))}
                  aria-invalid={problems.length > 0 || over || undefined}
                  aria-describedby={`${itemId(i)}-count${problems.length ? ` ${itemId(i)}-error` : ""}`}
                />
                <div class="chain-item-foot">
                  <span id={`${itemId(i)}-count`} class={`char-count small${over ? " over" : ""}`}>
                    {count.toLocaleString("en-US")}/{CHAIN_POST_MAX_CHARS} characters
                  </span>
                  <span class="chain-actions">
                    <button type="button" class="icon-btn" id={`${itemId(i)}-up`} disabled={i === 0} aria-label={`Move reply ${i + 1} up`} onClick={() => move(i, -1)}>
                      ↑
                    </button>
                    <button type="button" class="icon-btn" id={`${itemId(i)}-down`} disabled={i === chain.length - 1} aria-label={`Move reply ${i + 1} down`} onClick={() => move(i, 1)}>
                      ↓
                    </button>
                    <button type="button" class="icon-btn" aria-label={`Remove reply ${i + 1}`} onClick={() => remove(i)}>
                      ✕
                    </button>
                  </span>
                </div>
                {problems.length > 0 && (
                  <p id={`${itemId(i)}-error`} class="field-error">
                    ⚠ {problems.join(" ")}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div class="row">
        <Button size="sm" id={`${listId}-add`} disabled={!canAddPost(chain)} onClick={add}>
          Add a post to the thread
        </Button>
        {!canAddPost(chain) && <span class="muted small">A thread can have at most {CHAIN_MAX_POSTS} replies.</span>}
      </div>
    </fieldset>
  );
}
