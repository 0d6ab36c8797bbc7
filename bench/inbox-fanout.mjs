// Inbox fan-out: a comment on a Facebook post the app published arrives as a signed Meta webhook, and
// N workspace sockets wait for the new message's `message.changed`. Timed from the moment the webhook
// is sent to the moment the LAST socket has it (the issue's measure), and split into its parts. The
// whole real path runs: webhook route → inbound queue → consumer → D1 → WorkspaceDO hub → sockets.
// A second measure starts earlier, at the sandbox's "someone comments" call (which stores the comment,
// then signs and delivers the webhook as Meta does), so Meta's side is included. Printed, never asserted.
import { stackClient } from "../scripts/stack-client.mjs";
import { pageComment, postDelivery, signedDelivery } from "./meta-webhook.mjs";
import { summarize } from "./stats.mjs";

const SECOND = 1000;
const ARRIVAL_TIMEOUT_MS = 15 * SECOND;
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
/** Wall-clock milliseconds with sub-millisecond precision, comparable with the hub's `at` stamps (same machine). */
const wallNow = () => performance.timeOrigin + performance.now();

/** Events of a server frame: one `event`, or an `events` batch (the hub batches bursts). */
function eventsOf(frame) {
  if (frame.type === "event") return [frame];
  if (frame.type === "events" && Array.isArray(frame.events)) return frame.events;
  return [];
}

/**
 * `directHost` reaches the Worker with no dev layer in front (null when not found): sockets and
 * webhooks go there for the figures against the target, as production has no such layer; 500 sockets
 * are measured through the dev layer (`layers.devLayer`) too, for comparison.
 */
export function inboxFanoutBench({ host, directHost = null, layers, sandbox, json, signUp }) {
  const connectFacebook = (cookie, workspaceId) => stackClient(host).connect(cookie, workspaceId, "facebook");

  /** A post published by the app's scheduler a few seconds from now, as the sandbox holds it (comments need a live post). */
  async function publishPost(cookie, workspaceId, connectionId) {
    const text = `Inbox bench ${Date.now()}`;
    const dueAt = Math.ceil((Date.now() + 3 * SECOND) / SECOND) * SECOND;
    const response = await fetch(`${host}/api/workspaces/${workspaceId}/posts`, {
      method: "POST",
      headers: { cookie, origin: host, "content-type": "application/json" },
      body: JSON.stringify({ baseText: text, status: "scheduled", scheduledLocal: new Date(dueAt).toISOString().slice(0, 19), timezone: "UTC", targets: [{ connectionId, format: "post", options: {} }] }),
    });
    if (response.status !== 201) throw new Error(`scheduling the bench post failed: ${response.status} ${await response.text()}`);
    for (const deadline = Date.now() + 60 * SECOND; Date.now() < deadline; await sleep(500)) {
      const { posts } = await (await fetch(`${sandbox}/_sandbox/posts?platform=facebook`)).json();
      const live = posts.find((p) => p.text === text);
      if (live) return live;
    }
    throw new Error("the bench post did not go live within 60 s");
  }

  function openSocket(url, cookie) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers: { cookie, origin: new URL(url.replace("ws", "http")).origin } });
      const timer = setTimeout(() => reject(new Error("socket did not open")), 10 * SECOND);
      socket.addEventListener("open", () => (clearTimeout(timer), resolve(socket)));
      socket.addEventListener("error", (e) => (clearTimeout(timer), reject(e.error ?? new Error("socket error"))));
    });
  }

  /**
   * Resolves with the wall time a socket first sees `message.changed` for a message not in `seen`
   * (the new comment), and the hub's stamp of that event; null after the timeout.
   */
  function nextNewMessage(socket, seen) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => (socket.removeEventListener("message", onMessage), resolve(null)), ARRIVAL_TIMEOUT_MS);
      function onMessage(message) {
        const arrived = wallNow();
        const found = eventsOf(JSON.parse(message.data)).find((e) => e.event?.kind === "message.changed" && !seen.has(e.event.messageId));
        if (!found) return;
        clearTimeout(timer);
        socket.removeEventListener("message", onMessage);
        resolve({ arrived, hubAt: found.at, messageId: found.event.messageId });
      }
      socket.addEventListener("message", onMessage);
    });
  }

  /** The sandbox's "someone comments" call: it stores the comment, then signs and delivers the webhook. */
  async function sandboxComment(post, round) {
    const response = await fetch(`${sandbox}/_sandbox/events/comment`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ platform: "facebook", account: post.account_id, post: post.id, author: { name: `Bench Person ${round % 50}` }, text: `How much is it? #${round}` }),
    });
    const body = await response.json().catch(() => ({}));
    if (response.status !== 201) throw new Error(`sandbox comment failed: ${response.status} ${JSON.stringify(body)}`);
  }

  /** The webhook Meta would send for a new comment on the post, signed, POSTed to `base`. */
  async function webhookComment(base, post, round) {
    const signed = signedDelivery(pageComment({ pageId: post.account_id, postId: post.id, commentId: `${post.id.split("_").at(-1)}_bench${Date.now()}${round}`, authorId: `6500000000${round % 50}`, authorName: `Bench Person ${round % 50}`, text: `How much is it? #${round}` }));
    const response = await postDelivery(base, signed);
    if (response.status !== 200) throw new Error(`webhook refused: ${response.status} ${await response.text()}`);
  }

  /** `rounds` comments one after another (each waits for every socket), after `warmup` uncounted ones. */
  async function measure({ cookie, workspaceId, post, count, rounds, warmup, base, origin, label }) {
    const url = `${base.replace("http", "ws")}/api/workspaces/${workspaceId}/live`;
    const sockets = [];
    // Opened in small groups: a thundering herd of 500 upgrades is a different benchmark.
    for (let i = 0; i < count; i += 25) sockets.push(...(await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => openSocket(url, cookie)))));
    const send = origin === "sandbox" ? (round) => sandboxComment(post, round) : (round) => webhookComment(base, post, round);
    await sleep(SECOND);
    const seen = new Set();
    const total = [];
    const ack = [];
    const hubToLast = [];
    let missed = 0;
    for (let round = 0; round < warmup + rounds; round++) {
      const arrivals = sockets.map((socket) => nextNewMessage(socket, seen));
      const t0 = wallNow();
      await send(round);
      const acked = wallNow();
      const results = await Promise.all(arrivals);
      const received = results.filter(Boolean);
      for (const r of received) seen.add(r.messageId);
      if (round < warmup) continue;
      if (received.length < sockets.length) {
        missed += sockets.length - received.length;
        continue;
      }
      const last = Math.max(...received.map((r) => r.arrived));
      total.push(last - t0);
      ack.push(acked - t0);
      hubToLast.push(last - Math.min(...received.map((r) => r.hubAt)));
    }
    for (const socket of sockets) socket.close();
    console.log(`${`${label} → last of ${count} sockets`.padEnd(52)} ${JSON.stringify({ ...summarize(total), missedDeliveries: missed })}`);
    console.log(`${`  of which ${origin === "sandbox" ? "sandbox call (until its webhook's 200)" : "webhook until its 200"}`.padEnd(52)} ${JSON.stringify(summarize(ack))}`);
    console.log(`${"  of which hub event → last socket".padEnd(52)} ${JSON.stringify(summarize(hubToLast))}`);
  }

  return {
    async run({ sockets = [100, 500], rounds = 20, warmup = 2 } = {}) {
      const base = directHost ?? host;
      console.log(
        `Inbox fan-out (signed comment webhook → inbound queue → consumer → D1 → hub → every socket of one member; the hub stamps \`at\` on the same machine), ${directHost ? `webhooks and sockets sent to ${layers.direct}` : `through ${layers.devLayer} (the direct address was not found)`}:`,
      );
      const cookie = await signUp("inbox");
      const workspace = await (await json("/api/workspaces", { method: "POST", headers: { cookie }, body: JSON.stringify({ name: "Inbox bench", timezone: "UTC" }) })).json();
      const [page] = await connectFacebook(cookie, workspace.id);
      if (!page) throw new Error("no Facebook Page was connected");
      const post = await publishPost(cookie, workspace.id, page.id);
      const common = { cookie, workspaceId: workspace.id, post, rounds, warmup };
      for (const count of sockets) await measure({ ...common, count, base, origin: "webhook", label: "webhook" });
      const most = Math.max(...sockets);
      if (directHost) await measure({ ...common, count: most, base: host, origin: "webhook", label: `webhook (via ${layers.devLayer})` });
      await measure({ ...common, count: most, base, origin: "sandbox", label: "sandbox comment (Meta's side included)" });
    },
  };
}
