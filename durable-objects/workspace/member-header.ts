import { z } from "zod";
import { Id, Role } from "../../worker/contracts/common";

/** The Worker vouches for the connecting member in this header; the object is only reachable through it. */
export const HUB_MEMBER_HEADER = "X-Atelier-Member";

export const HubMemberHeader = z.object({ userId: Id, name: z.string(), avatarUrl: z.string().nullable(), role: Role });
export type HubMember = z.infer<typeof HubMemberHeader>;
