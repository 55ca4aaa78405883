import { readFileSync } from "node:fs";
import { parseEvalCsv } from "./lib/eval-csv";
import { referenceBackend } from "./lib/reference-backend";
import { classifyInput } from "../../workers/gateway/src/router/classify";
const rows = parseEvalCsv(readFileSync("data/router/eval-sample.csv", "utf8"), "small", "frontier");
const b = referenceBackend();
const out = [];
for (const r of rows) { const c = await classifyInput(b, { prompt: r.prompt }, "x"); out.push([c.complexity, r.weakOk, c.intent, r.prompt.slice(0, 60).replace(/\n/g, " ")] as const); }
out.sort((a, b) => b[0] - a[0]).forEach((o) => console.log(o[0].toFixed(3), o[1] ? "ok  " : "FAIL", o[2], o[3]));
