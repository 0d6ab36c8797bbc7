// Finds the address where workerd itself serves the app under `wrangler dev`, past wrangler's dev
// proxy (a second workerd that forwards every request and socket through a Durable Object so it can
// hold them while the Worker reloads). Production has no such hop, so the benchmarks measure both.
// Linux only (reads /proc); resolves null anywhere else or when nothing matches.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { processTree } from "./process-tree.mjs";

function socketInodes(pids) {
  const inodes = new Set();
  for (const pid of pids) {
    let fds = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.add(match[1]);
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return inodes;
}

/** Loopback TCP ports in LISTEN state owned by the given socket inodes. */
function listeningPorts(inodes) {
  const ports = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== "0A" || !inodes.has(fields[9])) continue;
    const [address, port] = fields[1].split(":");
    if (address === "0100007F") ports.push(Number.parseInt(port, 16));
  }
  return ports;
}

/**
 * The app's own workerd address under the wrangler process `pid` (one of its descendants), found by
 * asking each loopback port it listens on for `/healthz` and keeping the one that answers like the app.
 */
export async function findDirectWorkerUrl(pid, { exceptPort, isApp }) {
  if (process.platform !== "linux" || !pid) return null;
  const ports = listeningPorts(socketInodes(processTree(pid).slice(1))).filter((p) => p !== exceptPort);
  for (const port of ports) {
    const url = `http://127.0.0.1:${port}`;
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok && isApp(await response.text())) return url;
    } catch {
      // Not an HTTP port (inspector, runtime control) or not ready.
    }
  }
  return null;
}
