import type { ScopeInfo } from "../platforms/types";

/** Explains, in the privacy page's words, each permission the person left unticked and why Atelier needs it. */
export function missingScopesMessage(platformName: string, missing: readonly ScopeInfo[]): string {
  const list = missing.map((s) => `“${s.scope}” (${s.purpose})`).join("; ");
  return `${platformName} did not grant ${missing.length === 1 ? "a permission" : "permissions"} Atelier needs: ${list}. Connect again and leave ${missing.length === 1 ? "it" : "them"} ticked.`;
}
