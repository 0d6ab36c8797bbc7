// Webhook acknowledgement: Meta-shaped, correctly signed deliveries POSTed to /webhooks/meta, timed
// from send to the 200. First the maximum sustained rate of /healthz and of the webhook route (found
// by stepping up concurrency) and their ratio, then a fixed arrival rate (open loop: requests are
// sent on schedule whether or not earlier ones have answered, as Meta does). Printed, never asserted.
import { createHmac } from "node:crypto";
import { SANDBOX_APP_CREDENTIALS } from "../scripts/sandbox-credentials.mjs";
import { summarize } from "./stats.mjs";

const PAGE_ID = "104938271234567";
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** A delivery as Meta sends it: escaped unicode on the wire, one comment or one Messenger message per entry. */
function delivery(i) {
  const entry =
    i % 4 === 3
      ? { id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: `70234567${i}` }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid: `m_bench_${i}`, text: `Hallo, habt ihr heute ge\\u00f6ffnet? #${i}` } }] }
      : { id: PAGE_ID, time: Math.floor(Date.now() / 1000), changes: [{ field: "feed", value: { item: "comment", verb: "add", post_id: `${PAGE_ID}_1221`, comment_id: `1221_${i}`, parent_id: `${PAGE_ID}_1221`, from: { id: `65432${i}`, name: "Jane Doe" }, message: `How much is it? \\u00e4\\u00f6\\u00e5 #${i}`, created_time: Math.floor(Date.now() / 1000) } }] };
  // JSON.stringify would emit "\\u00e4" literally; undo the doubled backslash so the body carries Meta's escapes.
  const body = JSON.stringify({ object: "page", entry: [entry] }).replaceAll("\\\\u", "\\u");
  return { body, signature: `sha256=${createHmac("sha256", SANDBOX_APP_CREDENTIALS.META_APP_SECRET).update(body).digest("hex")}` };
}

/** Why requests failed (status or error message), most frequent first, for the printed line. */
function reasons(failures) {
  const counts = new Map();
  for (const f of failures) counts.set(f, (counts.get(f) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, 3));
}

const failure = (error) => String(error?.cause?.code ?? error?.cause?.message ?? error?.message ?? error);

export function webhooksBench({ host }) {
  let sequence = 0;
  async function postOnce() {
    const { body, signature } = delivery(sequence++);
    const t0 = performance.now();
    const response = await fetch(`${host}/webhooks/meta`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body });
    await response.arrayBuffer();
    return { ms: performance.now() - t0, ok: response.status === 200, status: response.status };
  }

  async function healthzOnce() {
    const t0 = performance.now();
    const response = await fetch(`${host}/healthz`);
    await response.arrayBuffer();
    return { ms: performance.now() - t0, ok: response.status === 200, status: response.status };
  }

  /** `rate` requests per second for `seconds`, each sent at its scheduled instant. */
  async function fixedRate({ rate, seconds }) {
    const total = rate * seconds;
    const samples = [];
    const failures = [];
    const t0 = performance.now();
    const inFlight = [];
    for (let i = 0; i < total; i++) {
      await sleep(t0 + (i * 1000) / rate - performance.now());
      inFlight.push(
        postOnce().then(
          (r) => (r.ok ? samples.push(r.ms) : failures.push(`HTTP ${r.status}`)),
          (error) => failures.push(failure(error)),
        ),
      );
    }
    await Promise.all(inFlight);
    const elapsed = (performance.now() - t0) / 1000;
    const errors = failures.length;
    console.log(`${`POST /webhooks/meta at ${rate}/s for ${seconds} s`.padEnd(38)} ${JSON.stringify({ ...summarize(samples), errors, ...(errors ? { reasons: reasons(failures) } : {}), achieved: `${Math.round((samples.length + errors) / elapsed)}/s` })}`);
  }

  /** Closed-loop throughput at one concurrency for `seconds`. */
  async function step(request, concurrency, seconds) {
    const samples = [];
    const failures = [];
    const until = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          try {
            const r = await request();
            if (r.ok) samples.push(r.ms);
            else failures.push(`HTTP ${r.status}`);
          } catch (error) {
            failures.push(failure(error));
          }
        }
      }),
    );
    const sorted = samples.sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? Infinity;
    return { concurrency, rps: samples.length / ((performance.now() - t0) / 1000), p99, errors: failures.length, reasons: reasons(failures) };
  }

  /** Doubles concurrency until errors appear or p99 passes 1 s (or throughput stops growing); the best clean step wins. */
  async function maxRate(label, request, seconds) {
    let best = null;
    let stoppedBy = null;
    for (let concurrency = 1; concurrency <= 256; concurrency *= 2) {
      const result = await step(request, concurrency, seconds);
      const clean = result.errors === 0 && result.p99 <= 1000;
      if (clean && (!best || result.rps > best.rps)) best = result;
      if (!clean) stoppedBy = { concurrency, errors: result.errors, reasons: result.reasons, p99: `${result.p99.toFixed(2)} ms` };
      if (!clean || (best && result.rps < best.rps * 0.9 && concurrency >= 16)) break;
    }
    console.log(`${`max sustained ${label}`.padEnd(38)} ${JSON.stringify({ ...(best ? { rps: Math.round(best.rps), atConcurrency: best.concurrency, p99: `${best.p99.toFixed(2)} ms` } : { rps: 0 }), ...(stoppedBy ? { stoppedBy } : {}) })}`);
    return best?.rps ?? 0;
  }

  return {
    async run({ rate = 200, seconds = 20, stepSeconds = 3 } = {}) {
      console.log("Webhook acknowledgement (signed Meta-shaped bodies, 1 entry each, for an unconnected page; locally the inbound consumer shares the same workerd and cores):");
      // A short warm-up so module load and key import are not measured.
      for (let i = 0; i < 20; i++) await postOnce();
      // Capacity first, hello-world before webhooks: the queue backlog webhooks leave behind would
      // otherwise slow whatever is measured after them.
      const healthz = await maxRate("GET /healthz", healthzOnce, stepSeconds);
      const webhooks = await maxRate("POST /webhooks/meta", postOnce, stepSeconds);
      console.log(`${"webhooks / healthz max rate".padEnd(38)} ${healthz > 0 ? `${Math.round((webhooks / healthz) * 100)} %` : "n/a"}`);
      await sleep(10_000);
      await fixedRate({ rate, seconds });
    },
  };
}
