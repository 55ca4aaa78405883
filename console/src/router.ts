/** Hash routes (#/requests/abc?x=1): the console is one static page, so deep links need no server. */
import type { Child } from "./dom";
import type { Session } from "./session";

export interface Route {
  /** Path segments after #/, decoded. */
  segments: string[];
  params: URLSearchParams;
}

export interface PageContext extends Route {
  session: Session;
}

export interface Page {
  title: string;
  render(ctx: PageContext): Promise<Child>;
}

export function currentRoute(): Route {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path = "", query = ""] = raw.split("?", 2);
  return { segments: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

export function routeHref(path: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "")).toString();
  return `#${path}${q ? `?${q}` : ""}`;
}

export const go = (path: string, params: Record<string, string | undefined> = {}): void => {
  location.hash = routeHref(path, params);
};
