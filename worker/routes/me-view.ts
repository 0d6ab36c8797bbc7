import type { Me } from "../contracts/auth";
import type { AuthedUser } from "../http/app-env";
import { avatarUrl } from "../http/urls";

export function toMe(user: AuthedUser): Me {
  return { id: user.id, email: user.email, name: user.name, avatarUrl: avatarUrl(user), createdAt: new Date(user.createdAt).toISOString() };
}
