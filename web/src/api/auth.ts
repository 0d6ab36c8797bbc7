import type { ChangePasswordBody, LoginBody, Me, SignupBody, UpdateMeBody } from "../../../worker/contracts/auth.ts";
import { api } from "./http.ts";

export const authApi = {
  /** Resolves null when signed out instead of redirecting. */
  me: async (): Promise<Me | null> => {
    try {
      return await api.get<Me>("/api/me", { expectUnauthorized: true });
    } catch (error) {
      if (error instanceof Error && "status" in error && error.status === 401) return null;
      throw error;
    }
  },
  signup: (body: SignupBody) => api.post<Me>("/api/auth/signup", body, { expectUnauthorized: true }),
  login: (body: LoginBody) => api.post<Me>("/api/auth/login", body, { expectUnauthorized: true }),
  logout: () => api.post<void>("/api/auth/logout", undefined, { expectUnauthorized: true }),
  updateMe: (body: UpdateMeBody) => api.patch<Me>("/api/me", body),
  uploadAvatar: (file: Blob) => api.put<Me>("/api/me/avatar", file),
  deleteAvatar: () => api.delete<Me>("/api/me/avatar"),
  changePassword: (body: ChangePasswordBody) => api.post<void>("/api/me/password", body),
};
