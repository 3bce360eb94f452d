import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EvalCase, runEval } from "../bots/eval/run-eval.js";
import { startOpenAiFake } from "./fakes/openai-fake.js";
import { scaled } from "./helpers/parley.js";

const here = (p: string) => new URL(p, import.meta.url).pathname;
const readCases = (file: string) =>
  readFileSync(here(file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => EvalCase.parse(JSON.parse(l)));

// The evaluation runs on a throwaway embedded database by contract, whatever DATABASE_URL says: the
// scaled run would repeat the embedded run's work exactly, so it runs once, in the embedded run.
describe.skipIf(scaled)("bot evaluation", () => {
  // Made in beforeAll: a skipped describe's body still runs, and its afterAll does not.
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "parley-eval-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The sets' figures are in docs/bots.md; these bounds, a little below them, catch a regression.
  const offline = [
    { set: "cases-2.jsonl", kb: "kb.json", minRight: 0.6 },
    // Tuning data of a second business (fitness studios), short and chatty messages mixed: the
    // knowledge search must not work for the outdoor shop's words alone.
    { set: "tuning-gym.jsonl", kb: "tuning-kb-gym.json", minRight: 0.75 },
  ];
  for (const { set, kb, minRight } of offline) {
    it(`offline, on ${set}: every request for a person, sensitive topic and negative review handed off, no wrong answer`, async () => {
      const cases = readCases(`./bot-eval/${set}`);
      const { results, summary } = await runEval({ kb, kbJson: readFileSync(here(`./bot-eval/${kb}`), "utf8"), cases, llm: false });
      expect(results).toHaveLength(cases.length);
      for (const reason of ["customer_request", "sensitive", "negative_review", "no_answer"]) {
        const t = summary.handoffs[reason]!;
        expect(t.right, reason).toBe(t.expected);
      }
      expect(summary.answeredWrongly).toBe(0);
      expect(summary.answeredCorrectlyRate).toBeGreaterThanOrEqual(minRight);
      expect(summary.modelCalls).toBe(0);
    }, 240_000);
  }

  it("npm run bots:eval keeps its contract: one result line per case in order, a JSON summary last; --llm calls the model", async () => {
    const llm = await startOpenAiFake({ apiKey: "sk-eval-test-key-123456" });
    try {
      const cases = [
        { text: "do you accept paypal?", platform: "facebook", kind: "dm", expect: { action: "answer", articleId: "payment-methods" } },
        { text: "Bitte einen Mitarbeiter, kein Bot!", platform: "whatsapp", kind: "dm", expect: { action: "handoff", reason: "customer_request" } },
        { text: "Meh.", platform: "google_reviews", kind: "review", stars: 1, expect: { action: "handoff", reason: "negative_review" } },
        { text: "can I bring my dog into the store?", platform: "telegram", kind: "dm", expect: { action: "handoff", reason: "no_answer" } },
      ];
      writeFileSync(path.join(dir, "cases.jsonl"), cases.map((c) => JSON.stringify(c)).join("\n") + "\n");
      const out = path.join(dir, "results.jsonl");
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [here("../node_modules/tsx/dist/cli.mjs"), here("../scripts/bots-eval.ts"), "--kb", here("./bot-eval/kb.json"), "--cases", path.join(dir, "cases.jsonl"), "--out", out, "--llm", "--model", "fake-model"],
        { env: { ...process.env, OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: "sk-eval-test-key-123456", DATABASE_URL: "", REDIS_URL: "" }, cwd: here("..") },
      );
      const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
      const results = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(results).toHaveLength(4);
      expect(results[0]).toEqual({ action: "answer", articleIds: ["payment-methods"], text: expect.any(String) });
      expect(results[1]).toEqual({ action: "handoff", articleIds: [], reason: "customer_request" });
      expect(results[2]).toEqual({ action: "handoff", articleIds: [], reason: "negative_review" });
      // The dog question is no confident match, so it reaches the model; the fake cites whatever article it is
      // given (here a weak match), and the evaluation counts that as the wrong answer it is.
      expect(results[3]).toEqual({ action: "answer", articleIds: [expect.any(String)], text: expect.any(String) });
      expect(summary).toMatchObject({ cases: 4, answerable: 1, answeredCorrectly: 1, answeredWrongly: 1, llm: true, model: "fake-model" });
      expect(summary.handoffs.no_answer).toEqual({ expected: 1, right: 0, otherReason: 0, missed: 1 });
      expect(summary.modelCalls).toBeGreaterThanOrEqual(1);
      expect(summary.latencyMs.p50).toEqual(expect.any(Number));
      expect(llm.requests.every((r) => r.headers.authorization === "Bearer sk-eval-test-key-123456")).toBe(true);
    } finally {
      await llm.close();
    }
  }, 240_000);
});
