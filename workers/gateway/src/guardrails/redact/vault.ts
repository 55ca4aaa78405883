import type { PiiEntityType } from "../types";

/** `<PERSON_1>`: entity type then a per-request counter. Restore only ever matches this shape. */
export const PLACEHOLDER = /<([A-Z][A-Z_]*?)_(\d{1,6})>/g;
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The originals behind placeholders, alive only for one request. It cannot be serialized:
 * toJSON/toString/inspect report a count, so logging a context object that holds a vault
 * never writes PII to logs, and fields are #private so spreading or cloning copies nothing.
 */
export class PiiVault {
  readonly #byPlaceholder = new Map<string, string>();
  readonly #byValue = new Map<string, string>();
  readonly #counters = new Map<PiiEntityType, number>();

  /** Same (type, value) -> same placeholder, across every message of the request. */
  placeholderFor(type: PiiEntityType, value: string): string {
    const key = `${type}\u0000${value}`;
    const existing = this.#byValue.get(key);
    if (existing !== undefined) return existing;
    const n = (this.#counters.get(type) ?? 0) + 1;
    this.#counters.set(type, n);
    const placeholder = `<${type}_${n}>`;
    this.#byValue.set(key, placeholder);
    this.#byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  original(placeholder: string): string | undefined {
    return this.#byPlaceholder.get(placeholder);
  }

  /** Whether `value` is one of the user's own originals (used by output scanning). */
  holdsValue(value: string): boolean {
    for (const v of this.#byPlaceholder.values()) if (v === value) return true;
    return false;
  }

  get size(): number {
    return this.#byPlaceholder.size;
  }

  toJSON(): { entries: number } {
    return { entries: this.size };
  }

  toString(): string {
    return `PiiVault(${this.size} entries)`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}
