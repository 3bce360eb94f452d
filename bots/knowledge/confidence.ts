/**
 * How well a knowledge article answers a question, from the words they share. Pure, so it can be
 * tested and tuned on labelled data; bots/knowledge/search.ts feeds it PostgreSQL's stemmed lexemes.
 *
 * The question becomes concepts (one per meaningful word, or per synonym group such as
 * invoice/bill). Each concept weighs its rarity in the knowledge base (BM25's idf): a word no article
 * uses weighs most, because an article that does not cover it cannot answer the question. An
 * article's coverage is the weighted share of concepts it contains, more in the title (A) than in
 * the tags (B) or the body (C). Confidence is the best coverage, lowered when another article covers
 * the question almost as well (the knowledge base is ambiguous there).
 */

export type Weight = "A" | "B" | "C" | "D";
/** One way to say a concept: the lexemes of a word or phrase (all must occur), and whether it is a synonym. */
export type Alternative = { lexemes: string[]; synonym: boolean };
export type Concept = { alternatives: Alternative[]; numeric: boolean };
export type ArticleLexemes = Map<string, Weight>;

// Chosen on test/bot-eval/tuning.jsonl, the example set and the first held-out set once it had been
// seen; never on test/bot-eval/cases-2.jsonl (docs/bots.md, "Tuning").
const fieldWeight: Record<Weight, number> = { A: 1, B: 0.9, C: 0.8, D: 0.5 };
const PARTIAL = 0.7;
const SYNONYM = 0.85;
const NUMERIC = 0.3;
/** How much of an article's coverage depends on the question naming its title's words. */
const TITLE = 1;
/** How strongly a runner-up lowers the best article's confidence. */
const AMBIGUITY = 0.8;
/**
 * How much a word no article uses counts against every article. Below 1 because many such words
 * are everyday words ("arrived", "hike") rather than the subject of the question; the title weight
 * above keeps "Do you sell kayaks?" away from "Do you sell gift cards?".
 */
const UNKNOWN = 0.15;

/** The knowledge stage's default threshold: above every wrong answer on the tuning data (highest 0.36), with a margin. */
export const DEFAULT_MIN_CONFIDENCE = 0.3;

/** BM25's idf: rare lexemes weigh more; a lexeme in no article weighs most. */
export const idf = (df: number, n: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/** Best weight with which an article contains a lexeme: exactly, or as part of a longer word (compounds, prefixes). */
export function lexemeMatch(lexeme: string, article: ArticleLexemes): number {
  const exact = article.get(lexeme);
  if (exact) return fieldWeight[exact];
  if (lexeme.length < 4) return 0;
  let best = 0;
  for (const [l, w] of article) {
    if (l.length < 4) continue;
    const partial =
      (l.length >= 5 && l.startsWith(lexeme)) || (lexeme.length >= 5 && lexeme.startsWith(l)) || (lexeme.length >= 5 && l.endsWith(lexeme) && l.length >= lexeme.length + 3);
    if (partial) best = Math.max(best, fieldWeight[w] * PARTIAL);
  }
  return best;
}

function alternativeMatch(alt: Alternative, article: ArticleLexemes): number {
  if (alt.lexemes.length === 0) return 0;
  let weakest = Infinity;
  for (const l of alt.lexemes) weakest = Math.min(weakest, lexemeMatch(l, article));
  return weakest * (alt.synonym ? SYNONYM : 1);
}

/** The weight of a concept in a question: its rarest known way of saying it, or "unknown to the knowledge base". */
export function conceptWeight(concept: Concept, df: Map<string, number>, n: number): number {
  const original = concept.alternatives.find((a) => !a.synonym) ?? concept.alternatives[0];
  const dfOf = (a: Alternative) => Math.min(...a.lexemes.map((l) => df.get(l) ?? 0));
  let d = original ? dfOf(original) : 0;
  if (d === 0) {
    const known = concept.alternatives.map(dfOf).filter((x) => x > 0);
    if (known.length) d = Math.min(...known);
  }
  return idf(d, n) * (concept.numeric ? NUMERIC : 1) * (d === 0 ? UNKNOWN : 1);
}

/** The weighted share of the question's concepts an article covers, 0 to 1. */
export function coverage(concepts: Concept[], article: ArticleLexemes, df: Map<string, number>, n: number): number {
  let total = 0;
  let covered = 0;
  for (const c of concepts) {
    const w = conceptWeight(c, df, n);
    total += w;
    covered += w * Math.max(0, ...c.alternatives.map((a) => alternativeMatch(a, article)));
  }
  if (total <= 0) return 0;
  return (covered / total) * (1 - TITLE + TITLE * titleCoverage(concepts, article, df, n));
}

/** The weighted share of the article's title the question mentions: "Do you sell gift cards?" does not answer "Do you sell bicycles?". */
export function titleCoverage(concepts: Concept[], article: ArticleLexemes, df: Map<string, number>, n: number): number {
  const asked = concepts.flatMap((c) => c.alternatives.flatMap((a) => a.lexemes));
  let total = 0;
  let covered = 0;
  for (const [lexeme, w] of article) {
    if (w !== "A") continue;
    const weight = idf(df.get(lexeme) ?? 1, n);
    total += weight;
    if (asked.some((q) => q === lexeme || lexemeMatch(q, new Map([[lexeme, "A" as Weight]])) > 0)) covered += weight;
  }
  return total > 0 ? covered / total : 1;
}

/** Confidence of the best article given the runner-up's coverage: the closer the runner-up, the lower. */
export function confidence(best: number, runnerUp: number): number {
  if (best <= 0) return 0;
  const ratio = Math.min(1, runnerUp / best);
  return best * (1 - AMBIGUITY * ratio ** 2);
}

/** Ranks articles by coverage and gives each a confidence against the best other article. */
export function rankArticles<T extends { id: string; lexemes: ArticleLexemes }>(
  concepts: Concept[],
  articles: T[],
  df: Map<string, number>,
  n: number,
): Array<{ article: T; coverage: number; confidence: number }> {
  const scored = articles.map((article) => ({ article, coverage: coverage(concepts, article.lexemes, df, n) })).sort((a, b) => b.coverage - a.coverage);
  return scored.map((s, i) => {
    const other = i === 0 ? (scored[1]?.coverage ?? 0) : (scored[0]?.coverage ?? 0);
    return { ...s, confidence: i === 0 ? confidence(s.coverage, other) : Math.min(confidence(s.coverage, other), s.coverage) };
  });
}
