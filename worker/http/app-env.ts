import type { Role } from "../contracts/common";
import type { Database } from "../db/client";

export type AuthedUser = { id: string; email: string; name: string; avatarKey: string | null; avatarUpdatedAt: number | null; createdAt: number };

export type Auth = { user: AuthedUser; sessionId: string };

export type Membership = { workspaceId: string; role: Role };

/** A clock is injected so tests control time (JWT expiry, rate-limit windows, invite lifetimes). */
export type Clock = () => number;

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    clock: Clock;
    db: Database;
    auth: Auth;
    membership: Membership;
  };
};
