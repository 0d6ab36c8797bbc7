import { PART_SIZE_BYTES } from "./limits";

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) bytes.set(chunk, at), (at += chunk.byteLength);
  return bytes;
}

/**
 * Reads just enough of a body to judge its magic bytes, and gives back a stream of the whole body
 * (head included) that has not been buffered: the rest is pulled from the original as it is consumed.
 */
export async function peekBody(body: ReadableStream<Uint8Array>, want: number): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array>; cancel: () => Promise<void> }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  while (total < want) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    chunks.push(value), (total += value.byteLength);
  }
  const head = concat(chunks, total);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.byteLength > 0) controller.enqueue(head);
      if (ended) controller.close();
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { head, stream, cancel: () => reader.cancel() };
}

export class SizeCapExceeded extends Error {
  constructor() {
    super("size cap exceeded");
  }
}

/**
 * Stores a body of unknown length (URL imports) without holding more than one part in memory: small
 * bodies become one object, larger ones an R2 multipart upload. Past `capBytes` the upload is aborted
 * and SizeCapExceeded thrown, so an endless or lying source cannot fill the bucket.
 */
export async function streamToR2(bucket: R2Bucket, key: string, body: ReadableStream<Uint8Array>, capBytes: number, contentType: string): Promise<number> {
  const reader = body.getReader();
  let buffer: Uint8Array[] = [];
  let buffered = 0;
  let total = 0;
  let upload: R2MultipartUpload | null = null;
  const parts: R2UploadedPart[] = [];
  const flush = async (bytes: Uint8Array) => {
    upload ??= await bucket.createMultipartUpload(key, { httpMetadata: { contentType } });
    parts.push(await upload.uploadPart(parts.length + 1, bytes));
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > capBytes) throw new SizeCapExceeded();
      buffer.push(value), (buffered += value.byteLength);
      while (buffered >= PART_SIZE_BYTES) {
        const all = concat(buffer, buffered);
        await flush(all.subarray(0, PART_SIZE_BYTES));
        const rest = all.subarray(PART_SIZE_BYTES);
        buffer = rest.byteLength ? [rest] : [];
        buffered = rest.byteLength;
      }
    }
    const last = concat(buffer, buffered);
    if (upload === null) await bucket.put(key, last, { httpMetadata: { contentType } });
    else {
      if (last.byteLength > 0) await flush(last);
      await (upload as R2MultipartUpload).complete(parts);
    }
    return total;
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (upload) await (upload as R2MultipartUpload).abort().catch(() => undefined);
    throw error;
  }
}

/**
 * A stream R2 accepts with its length known up front. If the body turns out shorter or longer than
 * announced, the consumer's write fails; the piping promise is settled here so that failure is the
 * caller's error to handle, not an unhandled rejection.
 */
export function exactLength(body: ReadableStream<Uint8Array>, length: number): { stream: ReadableStream<Uint8Array>; piped: Promise<void> } {
  const fixed = new FixedLengthStream(length);
  const piped = body.pipeTo(fixed.writable).catch(() => undefined);
  return { stream: fixed.readable, piped };
}
