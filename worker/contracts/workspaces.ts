import { z } from "zod";
import { Id, IsoDateTime, Role, TimeZone, UserSummary } from "./common";

export const WorkspaceName = z.string().trim().min(1, "Give the workspace a name.").max(80, "Use at most 80 characters.");

export const CreateWorkspaceBody = z.object({ name: WorkspaceName, timezone: TimeZone }).strict();
export type CreateWorkspaceBody = z.infer<typeof CreateWorkspaceBody>;

const MiB = 1024 * 1024;
/** Defaults for new workspaces (the D1 column defaults are the same numbers). */
export const DEFAULT_MEDIA_MAX_FILE_BYTES = 2 * 1024 * MiB;
export const DEFAULT_MEDIA_QUOTA_BYTES = 50 * 1024 * MiB;

export const UpdateWorkspaceBody = z
  .object({
    name: WorkspaceName,
    timezone: TimeZone,
    /** The largest single file the media library accepts (1 MB … 5 GB). */
    mediaMaxFileBytes: z.number().int().min(MiB, "Allow at least 1 MB per file.").max(5 * 1024 * MiB, "Files can be at most 5 GB."),
    /** The media library's total size (100 MB … 10 TB). */
    mediaQuotaBytes: z.number().int().min(100 * MiB, "Allow at least 100 MB in total.").max(10 * 1024 * 1024 * MiB, "The library can be at most 10 TB."),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "Change at least one field." });
export type UpdateWorkspaceBody = z.infer<typeof UpdateWorkspaceBody>;

/** A workspace as the caller sees it: `role` is the caller's own role in it. */
export const Workspace = z.object({
  id: Id,
  name: z.string(),
  timezone: z.string(),
  logoUrl: z.string().nullable(),
  role: Role,
  mediaLimits: z.object({ maxFileBytes: z.number().int(), quotaBytes: z.number().int() }),
  createdAt: IsoDateTime,
});
export type Workspace = z.infer<typeof Workspace>;

export const WorkspaceList = z.object({ workspaces: z.array(Workspace) });

export const Member = z.object({
  userId: Id,
  name: z.string(),
  email: z.string(),
  avatarUrl: z.string().nullable(),
  role: Role,
  joinedAt: IsoDateTime,
});
export type Member = z.infer<typeof Member>;
export const MemberList = z.object({ members: z.array(Member) });

export const ChangeRoleBody = z.object({ role: Role }).strict();

export const CreateInviteBody = z
  .object({
    role: Role.exclude(["owner"]).default("editor"),
    /** Optional: when set, only a person signed in with this email can accept. */
    email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address like name@example.com.")).optional(),
  })
  .strict();
export type CreateInviteBody = z.infer<typeof CreateInviteBody>;

export const Invite = z.object({
  id: Id,
  role: Role,
  email: z.string().nullable(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
  createdBy: UserSummary.nullable(),
});
export type Invite = z.infer<typeof Invite>;
export const InviteList = z.object({ invites: z.array(Invite) });

/** Returned once, at creation: the token is stored only as a hash, so the link cannot be shown again. */
export const CreatedInvite = z.object({ invite: Invite, url: z.string(), token: z.string() });
export type CreatedInvite = z.infer<typeof CreatedInvite>;

/** What anyone holding a valid invite link may see before accepting. */
export const InvitePreview = z.object({
  workspace: z.object({ id: Id, name: z.string(), logoUrl: z.string().nullable() }),
  role: Role,
  email: z.string().nullable(),
  invitedBy: z.object({ name: z.string() }).nullable(),
  expiresAt: IsoDateTime,
});
export type InvitePreview = z.infer<typeof InvitePreview>;

export const AuditEntry = z.object({
  id: Id,
  at: IsoDateTime,
  actor: UserSummary.nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  before: z.string().max(64).optional().describe("Cursor from `nextCursor` of the previous page."),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const AuditPage = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;
