// npm run bots:tune -- <kb.json>:<cases.jsonl> [<kb.json>:<cases.jsonl> ...] [--verbose]
// For choosing the knowledge stage's weights and threshold on tuning data (docs/bots.md, "Tuning"):
// for every case the guardrails would not hand off, the best article's confidence and whether it is
// the expected one, then how many answers would be right and wrong at each threshold. Faster than
// `npm run bots:eval` (no bot job, no conversations); confirm a choice with bots:eval afterwards.
import { readFileSync } from "node:fs";
import { openDatabase } from "../server/db/client.js";
import { users, workspaces } from "../server/db/schema.js";
import { isAutoReply } from "../bots/guards/auto-reply.js";
import { detectHandoffRequest } from "../bots/guards/handoff-request.js";
import { checkNegative } from "../bots/guards/negative.js";
import { detectSensitive } from "../bots/guards/sensitive.js";
import { importArticles } from "../bots/knowledge/articles.js";
import { parseImport } from "../bots/knowledge/import-formats.js";
import { searchKnowledge } from "../bots/knowledge/search.js";
import { EvalCase } from "../bots/eval/run-eval.js";

type Row = { set: string; text: string; expected: string | null; top: string | null; confidence: number; coverage: number; secondCoverage: number; second: string | null };

async function runSet(kbPath: string, casesPath: string): Promise<Row[]> {
  const database = await openDatabase({ schema: "public", dataDir: "memory://" });
  try {
    const db = database.db;
    const [ws] = await db.insert(workspaces).values({ name: "Tuning" }).returning();
    const [admin] = await db.insert(users).values({ workspaceId: ws!.id, email: "tune@parley.local", name: "Tune", role: "admin", passwordHash: "-" }).returning();
    const { drafts, problems } = parseImport("json", [{ name: kbPath, content: readFileSync(kbPath, "utf8") }], "en");
    if (problems.length) throw new Error(problems.map((p) => p.message).join("; "));
    await importArticles({ db }, { workspaceId: ws!.id, userId: admin!.id, role: "admin" }, drafts);
    const cases = readFileSync(casesPath, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .map((l) => EvalCase.parse(JSON.parse(l)));
    const rows: Row[] = [];
    for (const c of cases) {
      const guarded =
        isAutoReply(c.text) || detectHandoffRequest(c.text) || detectSensitive(c.text) || checkNegative(c.kind, c.stars ?? null, c.text, 2).negative;
      if (guarded) continue;
      const found = await searchKnowledge(db, ws!.id, c.text, { limit: 2 });
      const ext = (h: (typeof found.hits)[number] | undefined) => (h ? (h.article.externalId ?? h.article.id) : null);
      rows.push({
        set: casesPath.split("/").pop()!,
        text: c.text,
        expected: c.expect.action === "answer" ? c.expect.articleId : null,
        top: ext(found.hits[0]),
        confidence: found.hits[0]?.confidence ?? 0,
        coverage: found.hits[0]?.coverage ?? 0,
        secondCoverage: found.hits[1]?.coverage ?? 0,
        second: ext(found.hits[1]),
      });
    }
    return rows;
  } finally {
    await database.close();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const verbose = args.includes("--verbose");
  const all: Row[] = [];
  for (const pair of args.filter((a) => !a.startsWith("--"))) {
    const [kb, cases] = pair.split(":");
    all.push(...(await runSet(kb!, cases!)));
  }
  const r2 = (x: number) => x.toFixed(2);
  const r3 = (x: number) => x.toFixed(3);
  if (verbose) {
    for (const r of [...all].sort((a, b) => b.confidence - a.confidence)) {
      const mark = r.expected === null ? "NONE " : r.top === r.expected ? "ok   " : "WRONG";
      console.log(`${r3(r.confidence)} (cov ${r2(r.coverage)}/${r2(r.secondCoverage)}) ${mark} ${r.set.padEnd(20)} exp=${r.expected ?? "-"} top=${r.top} 2nd=${r.second} | ${r.text.slice(0, 110)}`);
    }
  }
  const sets = [...new Set(all.map((r) => r.set))];
  for (const t of [0.2, 0.25, 0.3, 0.32, 0.34, 0.36, 0.38, 0.4, 0.45, 0.5]) {
    const parts = sets.map((s) => {
      const rows = all.filter((r) => r.set === s && r.confidence >= t);
      const right = rows.filter((r) => r.expected !== null && r.top === r.expected).length;
      // Answerable cases the guardrails pass on; "wrong" also counts unanswerable cases that would be answered.
      return `${s.replace(".jsonl", "")} ${right}/${all.filter((r) => r.set === s && r.expected).length} wrong ${rows.length - right}`;
    });
    console.log(`t=${r2(t)}  ${parts.join("  |  ")}`);
  }
  const wrongMax = Math.max(0, ...all.filter((r) => r.top !== r.expected).map((r) => r.confidence));
  console.log(`highest confidence of a wrong top article: ${r2(wrongMax)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
