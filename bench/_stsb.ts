import { readFileSync } from "node:fs";
import { scoreText } from "../workers/gateway/src/guardrails/injection/screen";
const rows = readFileSync("/work/shared/data/stsb-en-dev/stsb-en-dev.csv","utf8").split("\n").filter(Boolean).map(l=>l.split(",")[0]??"");
const fl = rows.filter(r=>scoreText(r).label==="injection");
console.log(rows.length, fl.length, fl.slice(0,15));
