import { env } from "cloudflare:workers";
import { hubSignature } from "../../worker/security/hub-signature";

/** The sandbox's Meta app secret (scripts/sandbox-credentials.mjs), which the tests configure as META_APP_SECRET. */
export const APP_SECRET = env.META_APP_SECRET ?? "";

/**
 * A Page comment exactly as Meta puts it on the wire: non-ASCII as lowercase `\u00e4` escapes (a
 * surrogate pair for the emoji), `/` as `\/`, `<` once raw and once as `\u003C`. Its signature was
 * computed outside workerd (Node's crypto.createHmac) so the vector does not depend on our own code.
 */
export const ESCAPED_BODY = String.raw`{"object":"page","entry":[{"id":"104938271234567","time":1767312000,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","post_id":"104938271234567_1","comment_id":"1_2","from":{"id":"6543210987654321","name":"J\u00f6rg \u00c4rger"},"message":"Gr\u00fc\u00dfe \u00e4\u00f6\u00e5 \ud83d\ude00 caf\u00e9\/<\u003C","created_time":1767311998}}]}]}`;
export const ESCAPED_BODY_SIGNATURE = "sha256=7eaa6ec986f6a2c2df6969e84dfd3f25328f4049211bad63931e454d4dbd38c2";

export async function signed(body: string): Promise<{ body: string; signature: string }> {
  return { body, signature: await hubSignature(new TextEncoder().encode(body), APP_SECRET) };
}

/** A Page delivery with `count` comment entries (Meta batches up to 1,000). */
export function pageDelivery(count: number, pageId = "104938271234567"): string {
  const entry = Array.from({ length: count }, (_, i) => ({
    id: pageId,
    time: 1767312000 + i,
    changes: [{ field: "feed", value: { item: "comment", verb: "add", post_id: `${pageId}_9`, comment_id: `9_${i}`, from: { id: `65432${i}`, name: "Jane Doe" }, message: `comment ${i}`, created_time: 1767311998 + i } }],
  }));
  return JSON.stringify({ object: "page", entry });
}

/** A stand-in for INBOUND_QUEUE that records what the route sends (nobody consumes the test queue). */
export class RecordingQueue {
  readonly batches: MessageSendRequest<unknown>[][] = [];
  failWith: Error | null = null;
  async send(body: unknown): Promise<void> {
    await this.sendBatch([{ body }]);
  }
  async sendBatch(messages: Iterable<MessageSendRequest<unknown>>): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.batches.push([...messages]);
  }
  get messages(): unknown[] {
    return this.batches.flat().map((m) => m.body);
  }
}
