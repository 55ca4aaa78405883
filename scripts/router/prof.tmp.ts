import { featurize } from "../../workers/gateway/src/router/features/featurize";
const para = "Our team migrated the billing service to a new database last weekend. Two customers reported duplicate invoices after the migration, and the root cause was a retry that ran twice when the network timed out. ";
const prompt = `Please review the incident below, explain the root cause step by step, and propose three fixes ranked by risk.\n\n${para.repeat(9)}`;
let s = 0; for (let i = 0; i < 3000; i++) s += featurize({ prompt: prompt + (i % 2 ? " " : "") })[0]!;
const t = performance.now(); for (let i = 0; i < 3000; i++) s += featurize({ prompt: prompt + (i % 2 ? " " : "") })[0]!; console.log((performance.now() - t) / 3000, "ms");
