import { z } from "zod";
import { Id, IsoDateTime, UserSummary } from "./common";

export const MediaKind = z.enum(["image", "video"]);

/** A library file. `url` and `posterUrl` are authenticated API paths (Range-capable for video). */
export const Media = z.object({
  id: Id,
  status: z.enum(["uploading", "ready"]),
  kind: MediaKind.nullable(),
  mimeType: z.string().nullable(),
  name: z.string(),
  sizeBytes: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  videoCodec: z.string().nullable(),
  audioCodec: z.string().nullable(),
  /** Frames per second × 1000 (e.g. 29970), when the container says. */
  frameRateMilli: z.number().int().nullable(),
  altText: z.string().nullable(),
  tags: z.array(z.string()),
  url: z.string(),
  posterUrl: z.string().nullable(),
  createdBy: UserSummary.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Media = z.infer<typeof Media>;

export const MediaQuery = z.object({
  q: z.string().max(200).optional().describe("Matches name, alt text and tags."),
  kind: MediaKind.optional(),
  tag: z.string().max(50).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(40),
});
export const MediaPage = z.object({ media: z.array(Media), nextCursor: z.string().nullable() });

export const Tag = z.string().trim().min(1).max(50);
export const UpdateMediaBody = z
  .object({ name: z.string().trim().min(1).max(200), altText: z.string().max(1000).nullable(), tags: z.array(Tag).max(30) })
  .partial()
  .strict();

/**
 * Large files: create → PUT each part (any order, in parallel, retried freely: a part is idempotent)
 * → complete. `GET` the upload to learn which parts are already stored (resume after a closed tab).
 * Parts are `partSizeBytes` each except the last.
 */
export const CreateUploadBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    sizeBytes: z.number().int().min(1),
    /** What the browser thinks the type is; the server decides from the bytes. */
    declaredType: z.string().max(100).optional(),
  })
  .strict();
export const Upload = z.object({
  media: Media,
  partSizeBytes: z.number().int(),
  partCount: z.number().int(),
  partsDone: z.array(z.object({ partNumber: z.number().int(), sizeBytes: z.number().int() })),
});
export type Upload = z.infer<typeof Upload>;
export const UploadedPart = z.object({ partNumber: z.number().int(), sizeBytes: z.number().int() });

export const ImportMediaBody = z.object({ url: z.url().max(2048), name: z.string().trim().min(1).max(200).optional() }).strict();

export const PublicUrlBody = z.object({ ttlSeconds: z.number().int().min(60).max(7 * 24 * 3600).default(3600) }).strict();
export const PublicUrl = z.object({ url: z.string(), expiresAt: IsoDateTime });

/** Where a file is used, returned (409) when deleting a file that scheduled posts still need. */
export const MediaUsage = z.object({ posts: z.array(z.object({ postId: Id, status: z.string(), scheduledAt: IsoDateTime.nullable(), excerpt: z.string() })) });
