import { z } from "zod";
import { Id, IsoDateTime } from "./common";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email("Enter an email address like name@example.com."));

export const NewPassword = z
  .string()
  .min(10, "Use at least 10 characters.")
  .max(200, "Use at most 200 characters.");

export const PersonName = z.string().trim().min(1, "Enter your name.").max(80, "Use at most 80 characters.");

export const SignupBody = z.object({ email: Email, password: NewPassword, name: PersonName }).strict();
export type SignupBody = z.infer<typeof SignupBody>;

export const LoginBody = z
  .object({ email: Email, password: z.string().min(1, "Enter your password.").max(200) })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const Me = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  avatarUrl: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type Me = z.infer<typeof Me>;

export const UpdateMeBody = z.object({ name: PersonName }).partial().strict();
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1, "Enter your current password.").max(200), newPassword: NewPassword })
  .strict();
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;
