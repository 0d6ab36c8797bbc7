import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Database = ReturnType<typeof build>;

function build(d1: D1Database) {
  return drizzle(d1, { schema });
}

// Building drizzle walks the whole schema (its relational config) every time: profiled at ~8 % of the
// Worker's CPU per webhook when it ran per request. One instance per binding object is reused (the
// binding is the same object for the isolate's requests; a new one simply gets its own).
const instances = new WeakMap<D1Database, Database>();

export function createDb(d1: D1Database): Database {
  let db = instances.get(d1);
  if (!db) {
    db = build(d1);
    instances.set(d1, db);
  }
  return db;
}
