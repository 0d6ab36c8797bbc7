import type { z } from "zod";
import { ApiError } from "./problem.ts";

/**
 * Checks a response body against its contract. The publish ledger's shape is new and still moving,
 * so a mismatch surfaces as a readable error instead of a page that breaks on a missing field.
 */
export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  console.error("Response did not match its contract", parsed.error);
  throw new ApiError(
    { type: "about:blank", title: "Unexpected response", status: 500, detail: "Atelier got an answer it did not understand. Reload the page and try again." },
    body,
  );
}
