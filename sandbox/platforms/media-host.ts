import { Hono } from "hono";
import type { SandboxEnv } from "../app";
import type { PlatformModule } from "./index";

/** A 3×2 PNG (signature and IHDR are what the importer reads; the rest is not decoded). */
const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x08, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
]);

/** A minimal baseline JPEG header (SOI + SOF0 with the dimensions, then EOI): what size sniffers read. */
function jpeg(width: number, height: number): Uint8Array<ArrayBuffer> {
  const w = Math.max(1, Math.min(width, 65535));
  const h = Math.max(1, Math.min(height, 65535));
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9]);
}

/** An MP4 of `size` bytes: an `ftyp` box (isom) then zero padding; enough for magic-byte checks. */
function mp4(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Math.max(size, 32));
  bytes.set([0x00, 0x00, 0x00, 0x18, ...[..."ftypisom"].map((ch) => ch.charCodeAt(0)), 0x00, 0x00, 0x02, 0x00, ...[..."isomiso2"].map((ch) => ch.charCodeAt(0))]);
  return bytes;
}

/**
 * `media.example`: a public web host for testing URL imports (not a social platform). It serves an
 * image, a text file, and redirects: to the image, and to private addresses the importer must refuse.
 * For the publishing simulations (platforms that pull media by URL): `/photo.jpg` (1080×1350),
 * `/sized.jpg?w=&h=` (any dimensions, e.g. a 3:1 panorama Instagram refuses), `/clip.mp4?bytes=`
 * and `/missing.jpg` (404).
 */
export const mediaHostModule: PlatformModule = {
  platform: "media-host",
  hosts: ["media.example"],
  routes: () =>
    new Hono<SandboxEnv>()
      .get("/photo.png", (c) => c.body(PNG, 200, { "content-type": "image/png" }))
      .get("/photo.jpg", (c) => c.body(jpeg(1080, 1350), 200, { "content-type": "image/jpeg" }))
      .get("/sized.jpg", (c) => c.body(jpeg(Number(c.req.query("w") ?? "1080"), Number(c.req.query("h") ?? "1080")), 200, { "content-type": "image/jpeg" }))
      .get("/clip.mp4", (c) => c.body(mp4(Math.min(Number(c.req.query("bytes") ?? "200000") || 200_000, 50_000_000)), 200, { "content-type": "video/mp4" }))
      .get("/missing.jpg", (c) => c.text("Not Found", 404))
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
