// The processes of a local stack, read from /proc (Linux only): `npm start` runs node, which runs two
// `wrangler dev` (each in a process group of its own), which run node, esbuild and workerd. The crash
// test kills them all at once, as a power cut or an OOM kill would; the benchmarks find workerd's own
// listening sockets among them.
import { readdirSync, readFileSync } from "node:fs";

/** pid → { ppid, state } for every process visible now. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so parse after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(name), { ppid: Number(ppid), state });
    } catch {
      // Gone while reading.
    }
  }
  return table;
}

/** `root` and every process below it, parents first. */
export function processTree(root) {
  const table = processTable();
  const children = new Map();
  for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree = [];
  const queue = table.has(root) ? [root] : [];
  while (queue.length > 0) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Whether any of `pids` still runs (a zombie waiting to be reaped counts as gone). */
export function anyAlive(pids) {
  const table = processTable();
  return pids.some((pid) => table.has(pid) && table.get(pid).state !== "Z");
}

/** SIGKILL to every pid at once (nothing gets to clean up); resolves once none of them runs. */
export async function killAll(pids, timeoutMs = 10_000) {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (anyAlive(pids)) {
    if (Date.now() > deadline) throw new Error(`processes still running ${timeoutMs / 1000} s after SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
