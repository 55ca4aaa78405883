/**
 * A D1 binding that adds up what D1 bills: rows written (table and index rows, as reported in
 * each result's meta) over every statement run on it, batched or not.
 */
interface Meta {
  meta?: { rows_written?: number };
}

export interface MeteredD1 {
  db: D1Database;
  rowsWritten: () => number;
  reset: () => void;
}

const written = (r: unknown): number => (r as Meta | null)?.meta?.rows_written ?? 0;

export function meteredD1(target: D1Database): MeteredD1 {
  let rows = 0;
  // Statements are unwrapped before they reach the real batch(): it accepts only its own objects.
  const unwrap = new WeakMap<D1PreparedStatement, D1PreparedStatement>();
  const wrap = (s: D1PreparedStatement): D1PreparedStatement => {
    const p = statement(s);
    unwrap.set(p, s);
    return p;
  };
  const statement = (s: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(s, {
      get(t, prop, receiver) {
        const v: unknown = Reflect.get(t, prop, receiver);
        if (typeof v !== "function") return v;
        if (prop === "bind") return (...args: unknown[]) => wrap((v as (...a: unknown[]) => D1PreparedStatement).apply(t, args));
        if (prop === "run" || prop === "all") {
          return async (...args: unknown[]) => {
            const r: unknown = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
            rows += written(r);
            return r;
          };
        }
        return (v as (...a: unknown[]) => unknown).bind(t);
      },
    });
  const db = new Proxy(target, {
    get(t, prop, receiver) {
      if (prop === "prepare") return (sql: string) => wrap(t.prepare(sql));
      if (prop === "batch") {
        return async (stmts: D1PreparedStatement[]) => {
          const results = await t.batch(stmts.map((s) => unwrap.get(s) ?? s));
          for (const r of results) rows += written(r);
          return results;
        };
      }
      const v: unknown = Reflect.get(t, prop, receiver);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { db, rowsWritten: () => rows, reset: () => void (rows = 0) };
}
