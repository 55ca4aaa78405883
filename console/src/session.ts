/**
 * The signed-in key lives in sessionStorage: gone when the tab closes, never sent by the
 * browser on its own (so no cross-site request can use it: the console sends it only as an
 * Authorization header from its own script), and readable only by same-origin script, which
 * the console's CSP limits to its own bundle (no inline script, no third-party origin).
 */
export interface Session {
  key: string;
  tenantId: string;
  /** Whether the key may read /admin/v1 for its tenant (probed at sign-in; the API decides anyway). */
  admin: boolean;
}

const STORAGE_KEY = "llm-gateway.console.session";

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    return typeof s.key === "string" && typeof s.tenantId === "string" ? { key: s.key, tenantId: s.tenantId, admin: s.admin === true } : null;
  } catch {
    return null;
  }
}

export const saveSession = (s: Session): void => sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
export const clearSession = (): void => sessionStorage.removeItem(STORAGE_KEY);
