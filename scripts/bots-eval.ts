// npm run bots:eval -- --kb <articles.json> --cases <cases.jsonl> --out <results.jsonl> [--llm] [--model NAME]
// Runs labelled cases through the bot pipeline the worker runs, on a throwaway embedded database.
// The last line of stdout is a JSON summary (docs/bots.md, "Evaluation").
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { EvalCase, runEval } from "../bots/eval/run-eval.js";

const usage = "usage: npm run bots:eval -- --kb <articles.json> --cases <cases.jsonl> --out <results.jsonl> [--llm] [--model NAME]";

async function main() {
  const { values } = parseArgs({
    options: { kb: { type: "string" }, cases: { type: "string" }, out: { type: "string" }, llm: { type: "boolean", default: false }, model: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help || !values.kb || !values.cases || !values.out) {
    console.error(usage);
    process.exit(values.help ? 0 : 2);
  }
  const cases = readFileSync(values.cases, "utf8")
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter((l) => l.text)
    .map((l) => {
      const parsed = EvalCase.safeParse(JSON.parse(l.text));
      if (!parsed.success) throw new Error(`${values.cases} line ${l.line}: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
      return parsed.data;
    });
  const started = Date.now();
  const { results, summary } = await runEval({
    kb: values.kb,
    kbJson: readFileSync(values.kb, "utf8"),
    cases,
    llm: values.llm,
    model: values.model,
    onCase: (i, r) => process.stderr.write(`${String(i + 1).padStart(4)} ${r.action === "answer" ? `answer ${r.articleIds.join(",") || "-"}` : `handoff ${r.reason}`}\n`),
  });
  writeFileSync(values.out, results.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const pct = (x: number | null) => (x === null ? "n/a" : `${Math.round(x * 1000) / 10} %`);
  console.log(`${summary.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s${summary.llm ? ` with ${summary.model}` : ", no model"}: ` +
    `${summary.answeredCorrectly}/${summary.answerable} answerable answered with the right article (${pct(summary.answeredCorrectlyRate)}), ` +
    `${summary.answeredWrongly} answered wrongly (${pct(summary.answeredWronglyRate)}); results in ${values.out}`);
  console.log(JSON.stringify(summary));
}

main().catch((err) => {
  console.error(`bots:eval failed: ${(err as Error).message}`);
  process.exit(1);
});
