import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/** The Worker (wrangler dev on :8787) answers the API; Vite serves the UI and proxies to it. */
const WORKER = "http://127.0.0.1:8787";

export default defineConfig({
  root: "web",
  plugins: [preact()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    proxy: {
      "/api": { target: WORKER, ws: true },
      "/oauth": { target: WORKER },
      "/healthz": { target: WORKER },
    },
  },
});
