/**
 * Attribute-level masking: how much of a trace's content a caller may see.
 * viewer: none (metadata only); developer/admin: redacted (the placeholder text stored in the
 * event); any key with scope `content:read`: decrypted (the encrypted original, see
 * shared/crypto/envelope.ts). Service keys read no traces (route policy), so: none.
 */
import type { AuthContext } from "../app-env";

export type ContentAccess = "none" | "redacted" | "decrypted";
export const CONTENT_READ_SCOPE = "content:read";

export function contentAccessFor(auth: Pick<AuthContext, "role" | "scopes">): ContentAccess {
  if (auth.role === "viewer" || auth.role === "service") return "none";
  if (auth.scopes.includes(CONTENT_READ_SCOPE)) return "decrypted";
  return "redacted";
}

/** Applies the access level to a trace's content fields. */
export function maskContent<T extends { redacted?: unknown; encrypted?: unknown }>(
  access: ContentAccess,
  content: T,
): Omit<T, "redacted" | "encrypted"> & { redacted?: T["redacted"]; encrypted?: T["encrypted"] } {
  const { redacted, encrypted, ...rest } = content;
  if (access === "none") return rest;
  if (access === "redacted") return { ...rest, redacted };
  return { ...rest, redacted, encrypted };
}
