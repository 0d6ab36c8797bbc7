import { z } from "zod";

/** Roles in a workspace, from most to least powerful. Contributors need approval to publish. */
export const ROLES = ["owner", "admin", "editor", "contributor", "viewer"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Opaque ids are URL-safe random strings (see worker/security/ids.ts). */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, "Not a valid id.");

export const IsoDateTime = z.iso.datetime({ offset: true });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return value.includes("/") || value === "UTC";
  } catch {
    return false;
  }
}

/** An IANA time zone name such as "Europe/Paris"; offsets like "+02:00" are refused because they ignore DST. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, { message: "Choose a time zone from the list, such as Europe/Paris." });

/** RFC 9457 problem details, as every error of the API is rendered. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  requestId: z.string().optional(),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe("Per-field errors; `path` is dot-separated, e.g. `email` or `targets.0.text`."),
});
export type Problem = z.infer<typeof Problem>;

export const UserSummary = z.object({
  id: Id,
  name: z.string(),
  avatarUrl: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;
