/**
 * Splits a migration file into statements for D1's `batch` (D1 `exec` is line-oriented and
 * mangles multi-line statements). Aware of comments, quoted strings and trigger bodies
 * (BEGIN ... END;), which contain semicolons of their own.
 */
export function splitSqlStatements(sql: string): string[] {
  const out: string[] = [];
  let current = "";
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      current += sql.slice(i, end === -1 ? sql.length : end + 1);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch) && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? " ")) {
      const word = /^[A-Za-z_]+/.exec(sql.slice(i))?.[0] ?? ch;
      const upper = word.toUpperCase();
      if (upper === "BEGIN") depth++;
      if (upper === "END" && depth > 0) depth--;
      current += word;
      i += word.length;
      continue;
    }
    if (ch === ";" && depth === 0) {
      if (current.trim()) out.push(current.trim());
      current = "";
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
