/** The evaluator's configuration warnings: the shared once-per-isolate logger (shared/config-warning.ts). */
export { resetConfigWarnings, warnConfigOnce } from "../../../shared/config-warning";
