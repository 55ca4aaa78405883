/**
 * A tiny D1-compatible adapter over Node's built-in `node:sqlite` for unit tests: the real
 * migrations/ SQL is applied, and code under test sees the D1 surface it uses in production
 * (prepare/bind/first/all/run/raw, batch as one transaction, exec). node:sqlite avoids a
 * native dependency; it needs Node >= 22.13 (the repo's `node` dev dependency, via npx).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

type Bindable = string | number | null | boolean | ArrayBuffer | Uint8Array;

function toSqlite(value: Bindable): SQLInputValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return value;
}

class Statement {
  constructor(
    private readonly db: DatabaseSync,
    private readonly sql: string,
    private readonly params: SQLInputValue[] = [],
  ) {}

  bind(...values: Bindable[]): Statement {
    for (const v of values) {
      if (v === undefined) throw new Error("D1_TYPE_ERROR: Type 'undefined' not supported");
    }
    return new Statement(this.db, this.sql, values.map(toSqlite));
  }

  async first<T = Record<string, unknown>>(column?: string): Promise<T | null> {
    const row = this.db.prepare(this.sql).get(...this.params) as Record<string, unknown> | undefined;
    if (!row) return null;
    return (column ? row[column] : { ...row }) as T;
  }

  async all<T = Record<string, unknown>>(): Promise<{ results: T[]; success: true; meta: Record<string, unknown> }> {
    const rows = this.db.prepare(this.sql).all(...this.params) as Record<string, unknown>[];
    return { results: rows.map((r) => ({ ...r }) as T), success: true, meta: {} };
  }

  async raw<T = unknown[]>(): Promise<T[]> {
    const stmt = this.db.prepare(this.sql);
    const rows = stmt.all(...this.params) as Record<string, unknown>[];
    return rows.map((r) => Object.values(r) as T);
  }

  async run(): Promise<{ success: true; results: Record<string, unknown>[]; meta: { changes: number; last_row_id: number } }> {
    return this.runSync();
  }

  runSync(): { success: true; results: Record<string, unknown>[]; meta: { changes: number; last_row_id: number } } {
    const stmt = this.db.prepare(this.sql);
    // Like D1, a statement that returns rows (SELECT, RETURNING) yields them in `results`.
    if (stmt.columns().length > 0) {
      const rows = stmt.all(...this.params) as Record<string, unknown>[];
      return { success: true, results: rows.map((r) => ({ ...r })), meta: { changes: 0, last_row_id: 0 } };
    }
    const r = stmt.run(...this.params);
    return { success: true, results: [], meta: { changes: Number(r.changes), last_row_id: Number(r.lastInsertRowid) } };
  }
}

export class SqliteD1 {
  readonly sqlite: DatabaseSync;

  constructor(path = ":memory:") {
    this.sqlite = new DatabaseSync(path);
  }

  prepare(sql: string): Statement {
    return new Statement(this.sqlite, sql);
  }

  async batch(statements: Statement[]): Promise<unknown[]> {
    // D1 runs a batch as one transaction: all statements or none.
    this.sqlite.exec("BEGIN");
    try {
      const out = statements.map((s) => s.runSync());
      this.sqlite.exec("COMMIT");
      return out;
    } catch (err) {
      this.sqlite.exec("ROLLBACK");
      throw err;
    }
  }

  async exec(sql: string): Promise<{ count: number; duration: number }> {
    this.sqlite.exec(sql);
    return { count: 1, duration: 0 };
  }
}

const MIGRATIONS_DIR = join(import.meta.dirname, "../../../../../migrations");

/** A fresh in-memory database with every migration in migrations/ applied in order. */
export function createTestDb(): { db: D1Database; raw: SqliteD1 } {
  const raw = new SqliteD1();
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort()) {
    raw.sqlite.exec(readFileSync(join(MIGRATIONS_DIR, file), "utf8"));
  }
  return { db: raw as unknown as D1Database, raw };
}
