import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { users } from "../schema";

export function findUserByEmail(db: Database, email: string) {
  return db.select().from(users).where(eq(users.email, email)).get();
}

export function findUserById(db: Database, id: string) {
  return db.select().from(users).where(eq(users.id, id)).get();
}
