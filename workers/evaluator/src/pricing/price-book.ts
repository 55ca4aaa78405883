/**
 * The versioned price table (D1 model_prices) as an in-memory book for one batch: the price in
 * force for (tenant, model, time) is the latest row with effective_from <= time, a tenant's own
 * row winning over the list price ('*'). Loaded once per batch because the table is small and
 * a lookup per message would double the D1 round trips.
 */
import { z } from "zod";
import { PricingSchema, type Pricing } from "../../../../shared/pricing";
import pricesFile from "./prices.json";

export const PriceFileSchema = z.object({
  prices: z.array(
    z.object({
      model: z.string().min(1),
      tenantId: z.string().min(1).default("*"),
      effectiveFrom: z.iso.datetime({ offset: true }),
      pricing: PricingSchema,
      note: z.string().optional(),
    }),
  ),
});

const PriceRowSchema = z.object({
  tenant_id: z.string(),
  model: z.string(),
  effective_from: z.number(),
  pricing_json: z.string(),
});

interface PriceVersion {
  from: number;
  pricing: Pricing;
}

export class PriceBook {
  private readonly versions = new Map<string, PriceVersion[]>();

  constructor(rows: readonly z.infer<typeof PriceRowSchema>[]) {
    for (const row of rows) {
      const key = `${row.tenant_id}\u0000${row.model}`;
      const list = this.versions.get(key) ?? [];
      list.push({ from: row.effective_from, pricing: PricingSchema.parse(JSON.parse(row.pricing_json)) });
      this.versions.set(key, list);
    }
    for (const list of this.versions.values()) list.sort((a, b) => b.from - a.from);
  }

  priceAt(tenantId: string, model: string, at: number): Pricing | undefined {
    return this.latest(`${tenantId}\u0000${model}`, at) ?? this.latest(`*\u0000${model}`, at);
  }

  private latest(key: string, at: number): Pricing | undefined {
    return this.versions.get(key)?.find((v) => v.from <= at)?.pricing;
  }
}

/** Price rows that apply to these tenants: their own plus the list prices. */
export async function loadPriceBook(db: D1Database, tenantIds: readonly string[]): Promise<PriceBook> {
  const ids = [...new Set(tenantIds)];
  // D1 allows 100 bound parameters per statement: ask in chunks, list prices with the first.
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 90) chunks.push(ids.slice(i, i + 90));
  if (chunks.length === 0) chunks.push([]);
  const statements = chunks.map((chunk, n) => {
    const marks = chunk.map((_, i) => `?${i + 1}`).join(", ");
    const own = chunk.length ? `tenant_id IN (${marks})` : "0";
    return db.prepare(`SELECT tenant_id, model, effective_from, pricing_json FROM model_prices WHERE ${n === 0 ? `tenant_id = '*' OR ` : ""}${own}`).bind(...chunk);
  });
  const results = statements.length === 1 ? [await (statements[0] as D1PreparedStatement).all()] : await db.batch(statements);
  return new PriceBook(z.array(PriceRowSchema).parse(results.flatMap((r) => r.results)));
}

/** Idempotent seed of the list prices shipped in prices.json (INSERT OR IGNORE per version). */
export function priceSeedStatements(db: D1Database): D1PreparedStatement[] {
  const file = PriceFileSchema.parse(pricesFile);
  return file.prices.map((p) =>
    db
      .prepare("INSERT OR IGNORE INTO model_prices (tenant_id, model, effective_from, pricing_json, note) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(p.tenantId, p.model, Date.parse(p.effectiveFrom), JSON.stringify(p.pricing), p.note ?? null),
  );
}

const seeded = new WeakSet<D1Database>();
/** Seeds once per isolate and binding; INSERT OR IGNORE makes a second seed harmless anyway. */
export async function ensurePricesSeeded(db: D1Database): Promise<void> {
  if (seeded.has(db)) return;
  await db.batch(priceSeedStatements(db));
  seeded.add(db);
}
