/**
 * Every call the console makes: the gateway's own REST API with the signed-in key, so roles,
 * feature allow-lists and content masking are exactly the API's. Errors keep the API's
 * OpenAI-style message and code.
 */
import { currentSession } from "./session";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface ErrorBody {
  error?: { message?: string; code?: string | null };
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function call<T>(method: string, path: string, body?: unknown, key = currentSession()?.key): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (key) headers["authorization"] = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, { method, headers, credentials: "omit", cache: "no-store", ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(res.status, null, `${method} ${path}: ${res.status} (not JSON)`);
  }
  if (!res.ok) {
    const err = (json as ErrorBody | null)?.error;
    throw new ApiError(res.status, err?.code ?? null, err?.message ?? `${method} ${path}: ${res.status}`);
  }
  return json as T;
}

export const get = <T>(path: string, query?: Query): Promise<T> => call<T>("GET", withQuery(path, query));

export interface Page<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

