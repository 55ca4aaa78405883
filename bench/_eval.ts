import { readFileSync } from "node:fs";
import { scoreText } from "../workers/gateway/src/guardrails/injection/screen";
const jb = JSON.parse(readFileSync("/work/shared/data/jailbreak-dev/jailbreak_dev.json","utf8")) as string[];
const ni = JSON.parse(readFileSync("/work/shared/data/notinject-dev/NotInject_one.json","utf8")) as Array<{prompt:string}>;
for (const t of [0.4,0.5,0.6]) {
const tp = jb.filter(s=>scoreText(s,t).label==="injection").length;
const fp = ni.filter(s=>scoreText(s.prompt,t).label==="injection");
console.log(t, "TPR", (tp/jb.length).toFixed(3), "FPR", (fp.length/ni.length).toFixed(3));
if (t===0.5) { console.log(fp.map(f=>f.prompt+" => "+JSON.stringify(scoreText(f.prompt))).join("\n"));
 const miss = jb.filter(s=>scoreText(s,t).label!=="injection"); console.log(miss.slice(0,12).map(s=>s.slice(0,200).replace(/\n/g," ")+" => "+scoreText(s).score).join("\n")); }
}
