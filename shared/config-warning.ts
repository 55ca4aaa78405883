/**
 * A misconfiguration warning, logged once per isolate rather than on every request, queue batch or cron
 * tick: a Worker environment is read afresh for each invocation, and a warning
 * repeated thousands of times an hour buries the log line that says what to fix.
 */
const logged = new Set<string>();

export function warnConfigOnce(msg: string, detail: Record<string, string> = {}): void {
  if (logged.has(msg)) return;
  logged.add(msg);
  console.warn(JSON.stringify({ msg, ...detail }));
}

/** Tests only: forget what was logged. */
export function resetConfigWarnings(): void {
  logged.clear();
}
