import type { CONNECT_ERROR_REASONS } from "../../../../worker/contracts/connections.ts";
import { accounts } from "./channel-labels.ts";

type ConnectErrorReason = (typeof CONNECT_ERROR_REASONS)[number];

/** What the OAuth callback reported in the Accounts page's query string. */
export type ConnectResult =
  | { kind: "connected"; message: string }
  | { kind: "select"; grantId: string }
  | { kind: "error"; title: string; message: string };

const ERROR_TITLE: Record<ConnectErrorReason, string> = {
  denied: "Connection denied",
  state_invalid: "Connection could not be verified",
  state_expired: "Connection took too long",
  state_used: "Connection already completed",
  session_mismatch: "Connection started in another session",
  missing_scopes: "Some permissions were not granted",
  platform_error: "The platform reported a problem",
  no_channels: "No accounts to connect",
  unavailable: "Platform unavailable",
};

/** Used only when the callback sent no sentence of its own. */
const ERROR_FALLBACK: Record<ConnectErrorReason, string> = {
  denied: "The connection was denied on the platform's consent page, so nothing was connected.",
  state_invalid: "The answer from the platform did not match a connection started here. Start again from Connect.",
  state_expired: "The consent page was open for too long. Start again from Connect.",
  state_used: "This consent was already used. If the account is not listed, connect it again.",
  session_mismatch: "The connection was started by a different sign-in. Start again from Connect.",
  missing_scopes: "Atelier needs every required permission. Connect again and keep them all ticked.",
  platform_error: "The platform did not complete the connection. Try again in a moment.",
  no_channels: "The platform did not share any account Atelier can publish to.",
  unavailable: "This platform is not set up on this server.",
};

// The contract module carries zod: only its types are imported, and reasons are checked against this table.
const isReason = (value: string | undefined): value is ConnectErrorReason => value !== undefined && Object.hasOwn(ERROR_TITLE, value);

/** Reads `connect=connected|select|error` (see the contract); null when the page was opened normally. */
export function readConnectResult(query: Record<string, string | undefined>): ConnectResult | null {
  switch (query.connect) {
    case "connected": {
      const count = Number(query.count);
      return { kind: "connected", message: Number.isInteger(count) && count > 0 ? `Connected ${accounts(count)}.` : "Account connected." };
    }
    case "select":
      return query.grant ? { kind: "select", grantId: query.grant } : null;
    case "error": {
      const reason = isReason(query.reason) ? query.reason : null;
      const message = query.message?.trim() || (reason ? ERROR_FALLBACK[reason] : "The connection did not complete. Try again.");
      return { kind: "error", title: reason ? ERROR_TITLE[reason] : "Connection failed", message };
    }
    default:
      return null;
  }
}
