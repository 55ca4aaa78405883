/**
 * Values that stand for a secret without being one: template slots, environment lookups,
 * masks, and our own redaction placeholders. Redacting them would only make examples and
 * config templates harder for the model to read.
 */
const PLACEHOLDER =
  /^(?:<[^<>]*>|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|\{\{[^}]*\}\}|%\(?\w*\)?s|\*+|•+|x{3,}|X{3,}|\.{3,}|…|_+|-+|\?+|\[[^\]]*\]|(?:your|my|the|some)[_-]?[\w-]*?(?:pass\w*|pwd|secret|token|key|here)|password|passwd|pass|pwd|secret|token|api[_-]?key|null|none|nil|undefined|true|false|required|optional|string|example|placeholder|redacted|hidden|empty|unset|changeit|foo|bar|baz|test)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}
