// Publishing lateness: the sandbox's receive time of each go-live call minus the post's due time,
// through the whole real path (API → WorkspaceDO schedule and alarm → publish queue → consumer →
// adapter → sandbox) on the local stack. Printed, never asserted.
import { stackClient, utcLocal as local } from "../scripts/stack-client.mjs";
import { summarize } from "./stats.mjs";

const SECOND = 1000;

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool(items, limit, task) {
  let next = 0;
  const results = new Array(items.length);
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i], i);
      }
    }),
  );
  return results;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export function publishingBench({ host, sandbox, json, signUp }) {
  const { connect, createPost: schedule } = stackClient(host);

  async function sandboxPosts(platform) {
    return (await (await fetch(`${sandbox}/_sandbox/posts?platform=${platform}`)).json()).posts;
  }

  async function settings(body) {
    await fetch(`${sandbox}/_sandbox/publishing/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  /** Waits until every expected text is live (or the deadline passes); returns lateness per post and counts. */
  async function collect(platform, expected, deadline) {
    let live = [];
    while (Date.now() < deadline) {
      live = (await sandboxPosts(platform)).filter((p) => expected.has(p.text));
      if (live.length >= expected.size) break;
      await sleep(2 * SECOND);
    }
    const byText = new Map();
    for (const p of live) byText.set(p.text, [...(byText.get(p.text) ?? []), p]);
    const lateness = [];
    for (const [text, posts] of byText) lateness.push(Math.min(...posts.map((p) => p.received_at)) - expected.get(text));
    const duplicates = [...byText.values()].reduce((n, posts) => n + posts.length - 1, 0);
    return { lateness, missing: expected.size - byText.size, duplicates, lastLiveAfterDue: Math.max(...lateness) };
  }

  function report(label, result, extra = "") {
    const s = summarize(result.lateness);
    console.log(`${label.padEnd(44)} ${JSON.stringify({ ...s, missing: result.missing, duplicates: result.duplicates })}${extra}`);
  }

  return {
    /** 1,000 Facebook posts across 10 workspaces, due at whole seconds spread over ~3 minutes. */
    async spread({ posts = 1000, workspaces = 10, spreadSeconds = 180 } = {}) {
      const cookie = await signUp("lateness");
      const spaces = [];
      for (let i = 0; i < workspaces; i++) {
        const ws = await (await json("/api/workspaces", { method: "POST", headers: { cookie }, body: JSON.stringify({ name: `Lateness ${i}`, timezone: "UTC" }) })).json();
        const [page] = await connect(cookie, ws.id, "facebook");
        spaces.push({ id: ws.id, channel: page.id });
      }
      const start = Math.ceil((Date.now() + 75 * SECOND) / SECOND) * SECOND;
      const expected = new Map();
      const plan = Array.from({ length: posts }, (_, i) => ({ ws: spaces[i % workspaces], dueAt: start + Math.floor((i / posts) * spreadSeconds) * SECOND, text: `Lateness ${i} ${start}` }));
      const t0 = Date.now();
      await pool(plan, 10, async (p) => {
        expected.set(p.text, p.dueAt);
        await schedule(cookie, p.ws.id, { baseText: p.text, status: "scheduled", scheduledLocal: local(p.dueAt), timezone: "UTC", targets: [{ connectionId: p.ws.channel, format: "post", options: {} }] });
      });
      const createdIn = (Date.now() - t0) / SECOND;
      if (Date.now() > start) console.log(`  (warning: scheduling took ${createdIn.toFixed(1)} s, past the first due time)`);
      const result = await collect("facebook", expected, start + (spreadSeconds + 60) * SECOND);
      report(`${posts} posts / ${workspaces} workspaces / ${spreadSeconds} s`, result, `  (scheduled in ${createdIn.toFixed(1)} s)`);
    },

    /** 500 posts due in the same second in one workspace. */
    async burst({ posts = 500 } = {}) {
      const cookie = await signUp("burst");
      const ws = await (await json("/api/workspaces", { method: "POST", headers: { cookie }, body: JSON.stringify({ name: "Burst", timezone: "UTC" }) })).json();
      const [page] = await connect(cookie, ws.id, "facebook");
      const dueAt = Math.ceil((Date.now() + 90 * SECOND) / SECOND) * SECOND;
      const expected = new Map();
      const t0 = Date.now();
      await pool(Array.from({ length: posts }, (_, i) => `Burst ${i} ${dueAt}`), 10, async (text) => {
        expected.set(text, dueAt);
        await schedule(cookie, ws.id, { baseText: text, status: "scheduled", scheduledLocal: local(dueAt), timezone: "UTC", targets: [{ connectionId: page.id, format: "post", options: {} }] });
      });
      const createdIn = (Date.now() - t0) / SECOND;
      const result = await collect("facebook", expected, dueAt + 120 * SECOND);
      report(`${posts} posts due in the same second`, result, `  (all live ${(result.lastLiveAfterDue / SECOND).toFixed(2)} s after due; scheduled in ${createdIn.toFixed(1)} s)`);
    },

    /** Instagram Reels with realistic processing: prepared ahead, live on the second. */
    async reels({ count = 10, mp4 }) {
      await settings({ processingScale: 1 });
      const cookie = await signUp("reels");
      const ws = await (await json("/api/workspaces", { method: "POST", headers: { cookie }, body: JSON.stringify({ name: "Reels", timezone: "UTC" }) })).json();
      const [account] = await connect(cookie, ws.id, "instagram");
      const media = [];
      for (let i = 0; i < count; i++) {
        const bytes = mp4(2 * 1024 * 1024, 1080, 1920, 15_000);
        const res = await fetch(`${host}/api/workspaces/${ws.id}/media`, { method: "POST", headers: { cookie, origin: host, "content-type": "video/mp4", "x-file-name": `reel-${i}.mp4`, accept: "application/json" }, body: bytes });
        if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
        media.push((await res.json()).id);
      }
      // Due after the adapter's lead time for a 2 MB, 15 s reel, plus room to schedule.
      const dueAt = Math.ceil((Date.now() + 200 * SECOND) / SECOND) * SECOND;
      const expected = new Map();
      for (let i = 0; i < count; i++) {
        const text = `Reel ${i} ${dueAt}`;
        expected.set(text, dueAt + i * SECOND);
        await schedule(cookie, ws.id, { baseText: text, mediaIds: [media[i]], status: "scheduled", scheduledLocal: local(dueAt + i * SECOND), timezone: "UTC", targets: [{ connectionId: account.id, format: "reel", options: {} }] });
      }
      const result = await collect("instagram", expected, dueAt + (count + 120) * SECOND);
      report(`${count} Instagram Reels (2 MB, 15 s, processed ahead)`, result);
    },
  };
}
