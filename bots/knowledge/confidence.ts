/**
 * How well a knowledge article answers a question, from the words they share. Pure, so it can be
 * tested and tuned on labelled data; bots/knowledge/search.ts feeds it PostgreSQL's stemmed lexemes.
 *
 * The question becomes concepts (one per meaningful word, or per synonym group such as
 * invoice/bill), each with a focus: words of what is asked count fully, words of the greeting and
 * background around it less. Each concept weighs its rarity in the knowledge base (BM25's idf); a
 * word no article uses counts only in part (most are everyday words). An article's coverage is the
 * weighted share of concepts it contains, more in the title (A) than in the tags (B) or the body (C),
 * times how well the question names the article's subject (its title or one of its tags).
 * Confidence is the best coverage, lowered when another article covers the question almost as well
 * (the knowledge base is ambiguous there).
 */

export type Weight = "A" | "B" | "C" | "D";
/** One way to say a concept: the lexemes of a word or phrase (all must occur), and whether it is a synonym. */
export type Alternative = { lexemes: string[]; synonym: boolean };
/** `focus`: 1 for a word of what the customer asks, less for one of the greeting or background around it (bots/knowledge/concepts.ts). */
export type Concept = { alternatives: Alternative[]; numeric: boolean; focus?: number };
export type ArticleLexemes = Map<string, Weight>;

// Chosen on the tuning data: test/bot-eval/tuning.jsonl, cases.jsonl, cases-2.jsonl, tuning-chatty.jsonl
// and the second business in tuning-kb-gym.json + tuning-gym.jsonl (docs/bots.md, "Evaluation").
const fieldWeight: Record<Weight, number> = { A: 1, B: 0.9, C: 0.8, D: 0.5 };
const PARTIAL = 0.7;
const SYNONYM = 0.85;
const NUMERIC = 0.3;
/** How much of an article's coverage depends on the question naming its subject (its title or a tag). */
const TITLE = 1;
/**
 * How strongly a runner-up lowers the best article's confidence, and how sharply with its closeness:
 * a runner-up at 90 % of the best coverage takes 73 % of it, one at 60 % only 22 %. Chosen by
 * leaving each business out in turn (docs/bots.md, "Round 3"): a clear but modest lead is an answer.
 */
const AMBIGUITY = 1;
const AMBIGUITY_POWER = 3;
/**
 * How much a word no article uses counts against every article. Below 1 because many such words
 * are everyday words ("arrived", "hike") rather than the subject of the question; the subject weight
 * above keeps "Do you sell kayaks?" away from "Do you sell gift cards?". This is the weight of such a
 * word in the background sentences of a longer message.
 */
const UNKNOWN = 0.15;
/**
 * The same for a word of what is asked (a one-sentence message, or the asking sentences of a longer
 * one, bots/knowledge/concepts.ts): there an unknown word is more often the very thing asked about
 * ("do you sell kayaks?", "do you have parking at the store?").
 */
const UNKNOWN_ASKED = 0.4;
/** A tag names an article's subject a little less surely than its title. */
const TAG_SUBJECT = 0.8;

/**
 * The knowledge stage's default threshold: above every wrong answer on the tuning data (highest
 * 0.34, then 0.27), with a margin.
 */
export const DEFAULT_MIN_CONFIDENCE = 0.38;

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
  return idf(d, n) * (concept.numeric ? NUMERIC : 1) * (d === 0 ? ((concept.focus ?? 1) >= 1 ? UNKNOWN_ASKED : UNKNOWN) : 1) * (concept.focus ?? 1);
}

/**
 * What an article is about, for `subjectCoverage`: the lexemes of its title and of each tag, one
 * list per phrase ("Do you sell gift cards?" → [sell, gift, card]; tag "voucher" → [voucher]).
 */
export type Subjects = string[][];

/** The weighted share of the question's concepts an article covers, 0 to 1, times how well the question names the article's subject. */
export function coverage(concepts: Concept[], article: ArticleLexemes, df: Map<string, number>, n: number, subjects?: Subjects): number {
  let total = 0;
  let covered = 0;
  for (const c of concepts) {
    const w = conceptWeight(c, df, n);
    total += w;
    covered += w * Math.max(0, ...c.alternatives.map((a) => alternativeMatch(a, article)));
  }
  if (total <= 0) return 0;
  const subject = subjects ? subjectCoverage(concepts, subjects, df, n) : titleCoverage(concepts, article, df, n);
  return (covered / total) * (1 - TITLE + TITLE * subject);
}

const names = (asked: string[], lexeme: string) => asked.some((q) => q === lexeme || lexemeMatch(q, new Map([[lexeme, "A" as Weight]])) > 0);

/** The weighted share of the article's title the question mentions: "Do you sell gift cards?" does not answer "Do you sell bicycles?". */
export function titleCoverage(concepts: Concept[], article: ArticleLexemes, df: Map<string, number>, n: number): number {
  const title = [...article].filter(([, w]) => w === "A").map(([l]) => l);
  return subjectCoverage(concepts, [title], df, n);
}

/**
 * How well the question names what the article is about: the best, over its title and each of its
 * tags, of the (rarity-weighted) share of that phrase's words the question uses, itself or by a
 * synonym. "do you sell kayaks?" names a third of "Do you sell gift cards?" and none of its tags;
 * "my buckle snapped, can you repair it?" names the warranty article's tag "repair" in full. An
 * article with neither title nor tags counts as named.
 */
export function subjectCoverage(concepts: Concept[], subjects: Subjects, df: Map<string, number>, n: number): number {
  const asked = concepts.flatMap((c) => c.alternatives.flatMap((a) => a.lexemes));
  let best = 0;
  let any = false;
  for (const [i, phrase] of subjects.entries()) {
    if (phrase.length === 0) continue;
    any = true;
    let total = 0;
    let covered = 0;
    for (const lexeme of phrase) {
      const weight = idf(df.get(lexeme) ?? 1, n);
      total += weight;
      if (names(asked, lexeme)) covered += weight;
    }
    // A phrase of one everyday word of the knowledge base ("store", "parcel") says less about an
    // article than a rare one ("repair", "klarna"): its share counts in proportion to its rarity.
    const distinct = Math.min(1, total / idf(1, n));
    if (total > 0) best = Math.max(best, (covered / total) * distinct * (i === 0 ? 1 : TAG_SUBJECT));
  }
  return any ? best : 1;
}

/** Confidence of the best article given the runner-up's coverage: the closer the runner-up, the lower. */
export function confidence(best: number, runnerUp: number): number {
  if (best <= 0) return 0;
  const ratio = Math.min(1, runnerUp / best);
  return best * (1 - AMBIGUITY * ratio ** AMBIGUITY_POWER);
}

/** Ranks articles by coverage and gives each a confidence against the best other article. */
export function rankArticles<T extends { id: string; lexemes: ArticleLexemes; subjects?: Subjects }>(
  concepts: Concept[],
  articles: T[],
  df: Map<string, number>,
  n: number,
): Array<{ article: T; coverage: number; confidence: number }> {
  const scored = articles.map((article) => ({ article, coverage: coverage(concepts, article.lexemes, df, n, article.subjects) })).sort((a, b) => b.coverage - a.coverage);
  return scored.map((s, i) => {
    const other = i === 0 ? (scored[1]?.coverage ?? 0) : (scored[0]?.coverage ?? 0);
    return { ...s, confidence: i === 0 ? confidence(s.coverage, other) : Math.min(confidence(s.coverage, other), s.coverage) };
  });
}
