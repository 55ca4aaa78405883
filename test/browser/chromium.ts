/**
 * Headless Chromium for the console's browser tests: Debian's `chromium` package driven by
 * playwright-core through executablePath (.ci/run installs the package; playwright's own browser
 * downloads are not reachable here), plus an axe-core accessibility check and screenshots saved
 * under .tmp/test-artifacts/console (git-ignored).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { ROOT } from "../harness/build-workers";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
export const ARTIFACTS = join(ROOT, ".tmp/test-artifacts/console");

export const chromiumPath = (): string | undefined => CANDIDATES.find((p): p is string => !!p && existsSync(p));

export async function launch(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("Chromium not found: apt-get install chromium (or set CHROMIUM_PATH); .ci/run installs it.");
  // --no-sandbox: CI and this machine run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const axeSource = (): string => readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's WCAG 2.x A/AA rules on the page as rendered. The source is evaluated through the
 * DevTools protocol, which the page's CSP does not govern (an injected <script> would be refused).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource());
  return page.evaluate(async () => {
    // Runs in the page; this file is type-checked without the DOM library.
    const { axe, document } = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } };
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}
