import type { ZodError, ZodType, output } from "zod";
import { ProblemError, type FieldError } from "./problems";

export function fieldErrorsFrom(error: ZodError): FieldError[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return { path: issue.keys.join(","), message: `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}.` };
    }
    return { path: issue.path.map(String).join("."), message: issue.message };
  });
}

/** The one hook every OpenAPI route uses: a failed zod parse becomes a 400 `validation` problem. */
export function validationHook(result: { success: true } | { success: false; error: ZodError }, target?: string): void {
  if (result.success) return;
  const where = target === "query" ? "query string" : target === "param" ? "URL" : "request body";
  throw new ProblemError("validation", `The ${where} has fields that need attention.`, { errors: fieldErrorsFrom(result.error) });
}

/** For the few plain (non-OpenAPI) handlers: parse path params with the same problem on failure. */
export function parseParams<T extends ZodType>(schema: T, params: unknown): output<T> {
  const result = schema.safeParse(params);
  if (!result.success) validationHook(result, "param");
  return result.data as output<T>;
}
