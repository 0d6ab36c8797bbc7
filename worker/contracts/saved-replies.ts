import { z } from "zod";
import { templateRefusal } from "../domain/rules/templates";
import { Id, IsoDateTime } from "./common";

/**
 * Saved replies (issue 7 §7): named answers a member inserts in the inbox composer. The text uses the
 * same variables as rule templates (`{first_name}`, `{name}`, `{channel}`, `{text}`), checked the same way.
 */
const Name = z.string().trim().min(1, "Give the saved reply a name.").max(80, "A name may have at most 80 characters.");
const Text = z
  .string()
  .trim()
  .min(1, "Write the reply.")
  .max(2000, "A saved reply may have at most 2,000 characters.")
  .superRefine((text, ctx) => {
    const refusal = templateRefusal(text);
    if (refusal) ctx.addIssue({ code: "custom", message: refusal });
  });

export const SavedReplyInput = z.object({ name: Name, text: Text }).strict();
export type SavedReplyInput = z.infer<typeof SavedReplyInput>;

/** `PATCH`: only the fields sent change. */
export const SavedReplyPatch = SavedReplyInput.partial().strict();
export type SavedReplyPatch = z.infer<typeof SavedReplyPatch>;

export const SavedReply = z.object({ id: Id, name: z.string(), text: z.string(), createdBy: Id.nullable(), createdAt: IsoDateTime, updatedAt: IsoDateTime });
export type SavedReply = z.infer<typeof SavedReply>;

/** Sorted by name, so the composer's picker reads like an index. */
export const SavedReplyList = z.object({ savedReplies: z.array(SavedReply) });
