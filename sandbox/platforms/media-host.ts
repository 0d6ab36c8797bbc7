import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import type { PlatformModule } from "./index";

/** A 3×2 PNG (signature and IHDR are what the importer reads; the rest is not decoded). */
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

/**
 * `media.example`: a public web host for testing URL imports (not a social platform). It serves an
 * image, a text file, and redirects: to the image, and to private addresses the importer must refuse.
 */
export const mediaHostModule: PlatformModule = {
  platform: "media-host",
  hosts: ["media.example"],
  routes: () =>
    new Hono<SandboxEnv>()
      .get("/photo.png", (c) => c.body(PNG, 200, { "content-type": "image/png" }))
      .get("/notes.txt", (c) => c.body("just text, not an image\n", 200, { "content-type": "image/png" }))
      .get("/big.png", (c) => {
        const bytes = new Uint8Array(Number(c.req.query("bytes") ?? "1048576"));
        bytes.set(PNG);
        // Streamed without Content-Length, so only the importer's running count can stop it.
        return new Response(new Blob([bytes]).stream(), { headers: { "content-type": "image/png" } });
      })
      .get("/to-photo", (c) => c.redirect("/media.example/photo.png", 302))
      .get("/to", (c) => c.redirect(c.req.query("url") ?? "/", 302)),
};
