/**
 * Fault decisions: the `x-sim-fault` header (deterministic, for tests) wins over the model's
 * runtime fault config (`failNext` first, then the random rates).
 */
import type { FaultConfig } from "./config";
import { HttpError } from "./http-util";

export type Fault =
  | { kind: "none" }
  | { kind: "error"; status: number }
  | { kind: "hang" }
  | { kind: "disconnect-mid-stream" }
  | { kind: "slow-first-token" };

export const FAULT_HEADER = "x-sim-fault";
export const RETRY_AFTER_HEADER = "x-sim-retry-after";
export const HEADER_FAULTS = ["error-500", "error-429", "error-503", "hang", "disconnect-mid-stream", "slow-first-token"] as const;

const NONE: Fault = { kind: "none" };

function fromHeader(value: string): Fault {
  const error = /^error-([45]\d\d)$/.exec(value);
  if (error) return { kind: "error", status: Number(error[1]) };
  if (value === "hang" || value === "disconnect-mid-stream" || value === "slow-first-token") return { kind: value };
  // A typo in a test header must fail loudly, not pass as "no fault".
  throw new HttpError(400, `unknown ${FAULT_HEADER} "${value}"; expected one of ${HEADER_FAULTS.join(", ")} (or error-NNN)`);
}

/** May mutate `faults.failNext` / `faults.disconnectNext` (they count down). */
export function decideFault(header: string | undefined, faults: FaultConfig, random: () => number = Math.random): Fault {
  if (header) return fromHeader(header.trim().toLowerCase());
  if (faults.failNext > 0) {
    faults.failNext--;
    return { kind: "error", status: faults.failStatus };
  }
  if (faults.disconnectNext > 0) {
    faults.disconnectNext--;
    return { kind: "disconnect-mid-stream" };
  }
  if (faults.errorRate > 0 && random() < faults.errorRate) return { kind: "error", status: faults.errorStatus };
  if (faults.hangRate > 0 && random() < faults.hangRate) return { kind: "hang" };
  if (faults.disconnectMidStreamRate > 0 && random() < faults.disconnectMidStreamRate) return { kind: "disconnect-mid-stream" };
  if (faults.slowFirstTokenRate > 0 && random() < faults.slowFirstTokenRate) return { kind: "slow-first-token" };
  return NONE;
}

/** `Retry-After` seconds: the request header wins over the model config. */
export function retryAfterOf(header: string | undefined, faults: FaultConfig): string | undefined {
  if (header !== undefined && /^\d+$/.test(header.trim())) return header.trim();
  return faults.retryAfterSeconds === undefined ? undefined : String(faults.retryAfterSeconds);
}
