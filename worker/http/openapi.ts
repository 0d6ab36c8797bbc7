import type { ZodType } from "zod";
import { Problem } from "../contracts/common";

/** Small builders so route definitions stay about the route, not OpenAPI boilerplate. */
export function jsonBody<T extends ZodType>(schema: T, description?: string) {
  return { content: { "application/json": { schema } }, required: true, ...(description ? { description } : {}) };
}

export function jsonContent<T extends ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

const problem = (description: string) => ({ content: { "application/problem+json": { schema: Problem } }, description });

/** The problem responses a route can produce, documented by status. */
export const problems = {
  400: problem("Invalid input: `errors` lists each field and what is wrong with it."),
  401: problem("Not signed in, or the session has ended."),
  403: problem("Signed in, but this role may not do this (or the request came from another site)."),
  404: problem("No such item, or it belongs to a workspace you are not a member of."),
  409: problem("The change conflicts with the current state."),
  410: problem("The link has expired, been used or been revoked."),
  413: problem("The upload is too large."),
  415: problem("The upload is not an accepted file type."),
  429: problem("Too many attempts; `Retry-After` says when to try again."),
  502: problem("A social platform refused or failed the request; `detail` gives its reason."),
} as const;

export const noContent = { 204: { description: "Done; no content." } } as const;

export const imageBody = {
  content: {
    "image/png": { schema: { type: "string", format: "binary" } },
    "image/jpeg": { schema: { type: "string", format: "binary" } },
    "image/gif": { schema: { type: "string", format: "binary" } },
    "image/webp": { schema: { type: "string", format: "binary" } },
  },
  required: true,
  description: "The image's bytes (at most 2 MB). Its magic bytes must match the Content-Type.",
} as const;

export const imageResponseDoc = {
  200: { description: "The image.", content: { "image/*": { schema: { type: "string", format: "binary" } } } },
} as const;
