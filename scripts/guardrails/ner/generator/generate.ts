/**
 * Writes labelled sentences from a template group: each slot is filled from a faker locale of
 * the group and recorded as a span. Seeded, so the same call gives the same corpus.
 */
import { ExampleBuilder, type Example } from "../example";
import type { AddressRenderer } from "./addresses";
import { fakerFor, LOCALES_OF, type LocaleGroup } from "./locales";
import { chance, pick, rng } from "./random";
import { SLOTS, type SlotContext } from "./values";

const SLOT = /\{([A-Z_]+)\}/g;

export interface GenerateOptions {
  group: LocaleGroup;
  templates: readonly string[];
  addresses: readonly AddressRenderer[];
  count: number;
  seed: number;
}

function fill(template: string, ctx: SlotContext, b: ExampleBuilder): void {
  let last = 0;
  for (const m of template.matchAll(SLOT)) {
    const slot = SLOTS[m[1] as string];
    if (!slot) continue;
    b.add(template.slice(last, m.index));
    for (const [value, type] of slot(ctx)) b.add(value, type);
    last = (m.index ?? 0) + m[0].length;
  }
  b.add(template.slice(last));
}

export function generate(opts: GenerateOptions): Example[] {
  const r = rng(opts.seed);
  const en = fakerFor("en_US");
  const out: Example[] = [];
  for (let i = 0; i < opts.count; i++) {
    const locale = pick(r, LOCALES_OF[opts.group]);
    const f = fakerFor(locale);
    // faker's own generator is seeded from ours, so each example is reproducible on its own.
    const seed = Math.floor(r() * 2 ** 31);
    f.seed(seed);
    en.seed(seed + 1);
    const ctx: SlotContext = { f, en, r, addresses: opts.addresses };
    const b = new ExampleBuilder();
    const parts = chance(r, 0.2) ? 2 : 1;
    const ids: number[] = [];
    for (let p = 0; p < parts; p++) {
      const t = Math.floor(r() * opts.templates.length);
      ids.push(t);
      if (p > 0) b.add(pick(r, [" ", "\n", "\n\n"]));
      fill(opts.templates[t] as string, ctx, b);
    }
    const ex = b.build(`gen-${opts.group}:${locale}:t${ids.join("+")}`);
    // People type in lower case: the whole message, labels unchanged (offsets do not move).
    if (chance(r, 0.05) && ex.text.toLowerCase().length === ex.text.length) ex.text = ex.text.toLowerCase();
    out.push(ex);
  }
  return out;
}
