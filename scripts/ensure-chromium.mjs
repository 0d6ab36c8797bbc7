// Runs before the browser tests (`npm test`'s pretest, and `npm run test:browser`): they drive a real
// headless Chromium and are never skipped. When it is missing and this user may install Debian's
// packages (root, or sudo without a password), it is installed here, as `.ci/run` needs on a fresh
// machine; otherwise the run stops at once with the command to run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function canInstallDebianPackages() {
  if (!existsSync("/usr/bin/apt-get") || process.env.CHROMIUM_PATH) return null;
  if (process.getuid?.() === 0) return [];
  return spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0 ? ["sudo", "-n"] : null;
}

/** apt-get with its progress (hundreds of dpkg lines) dropped; its errors still show. */
function aptGet(prefix, args) {
  const [command, ...rest] = [...prefix, "apt-get", ...args];
  return spawnSync(command, rest, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0;
}

if (!existsSync(CHROMIUM)) {
  const prefix = canInstallDebianPackages();
  if (prefix) {
    console.log("Chromium is missing; installing it from Debian's packages for the browser tests (apt-get install chromium)…");
    if (aptGet(prefix, ["update", "-qq"]) && aptGet(prefix, ["install", "-y", "-qq", "chromium"]) && existsSync(CHROMIUM)) {
      console.log(`Installed ${spawnSync(CHROMIUM, ["--version"], { encoding: "utf8" }).stdout.trim() || CHROMIUM}.`);
      process.exit(0);
    }
  }
  console.error(
    process.env.CHROMIUM_PATH
      ? `The browser tests need Chromium, and CHROMIUM_PATH (${CHROMIUM}) does not exist: point it at a Chromium or Chrome binary, or install Chromium with \`sudo apt-get install -y chromium\`, then run \`npm test\` again.`
      : `The browser tests need Chromium at ${CHROMIUM}: run \`sudo apt-get install -y chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary, then run \`npm test\` again.`,
  );
  process.exit(1);
}
