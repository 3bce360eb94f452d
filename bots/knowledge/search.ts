import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../server/db/client.js";
import { knowledgeArticles } from "../../server/db/schema.js";
import { detectLanguage } from "../language/detect-language.js";
import { tsConfigFor } from "../language/index.js";
import { type ArticleLexemes, type Concept, confidence, rankArticles, type Weight } from "./confidence.js";
import { fillerWords, questionConcepts, type RawConcept, synonymGroups } from "./concepts.js";

export type ArticleRow = typeof knowledgeArticles.$inferSelect;
export type KnowledgeHit = { article: ArticleRow; coverage: number; confidence: number };
export type KnowledgeSearch = { language: string | null; hits: KnowledgeHit[] };

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
const CANDIDATES = 25;
/**
 * An article in another language than the customer's, when the knowledge base has articles in the
 * customer's language: it still answers, but the customer's own language wins unless it is far off.
 * A small language's few articles score high on little (rare words), hence the strong discount.
 */
const OTHER_LANGUAGE = 0.5;

/**
 * Finds the knowledge articles that answer a question, best first, each with a 0–1 confidence.
 * PostgreSQL full-text search does the language-aware work: each article is stemmed with its own
 * configuration (english, german, …, simple), the question is stemmed with each configuration in use,
 * and articles sharing any stem are candidates (GIN index). bots/knowledge/confidence.ts then scores
 * the candidates. When the question's language is clear and articles exist in it, articles in other
 * languages count less (`OTHER_LANGUAGE`).
 */
export async function searchKnowledge(
  db: Executor,
  workspaceId: string,
  question: string,
  opts: { limit?: number; tags?: string[] } = {},
): Promise<KnowledgeSearch> {
  const detected = detectLanguage(question);
  const raw = questionConcepts(question);
  const scope: SQL[] = [eq(knowledgeArticles.workspaceId, workspaceId), eq(knowledgeArticles.enabled, true)];
  if (opts.tags?.length) scope.push(sql`${knowledgeArticles.tags} && ${sql.param(opts.tags)}::text[]`);
  const where = and(...scope)!;

  const counts = await db
    .select({ tsConfig: knowledgeArticles.tsConfig, language: knowledgeArticles.language, n: sql<number>`count(*)::int` })
    .from(knowledgeArticles)
    .where(where)
    .groupBy(knowledgeArticles.tsConfig, knowledgeArticles.language);
  if (raw.length === 0 || counts.length === 0) return { language: detected.code, hits: [] };

  // Every article is a candidate, whatever its language (the concept lexicon bridges languages), but
  // when the customer's language is clear and articles exist in it, those come first.
  const preferred = detected.confident && counts.some((c) => c.language === detected.code) ? detected.code : null;
  // The customer's language first: the others are searched only while they could still come out on top.
  const ownConfigs = new Set(counts.filter((c) => c.language === preferred).map((c) => c.tsConfig));
  const configs = [...new Set(counts.map((c) => c.tsConfig))].sort((a, b) => Number(ownConfigs.has(b)) - Number(ownConfigs.has(a)));
  const n = new Map<string, number>();
  for (const c of counts) n.set(c.tsConfig, (n.get(c.tsConfig) ?? 0) + Number(c.n));

  // The customer's own stop words ("wie", "ich") are not concepts in another language's articles either.
  const own = detected.confident && detected.code ? tsConfigFor(detected.code) : null;
  const stem = await stemmer(db, [...new Set([...configs, ...(own ? [own] : [])])], raw.map((c) => c.word));

  const scored: Array<{ id: string; language: string; coverage: number; confidence: number }> = [];
  for (const cfg of configs) {
    if (preferred && !ownConfigs.has(cfg) && scored.some((h) => h.coverage >= OTHER_LANGUAGE)) break;
    const concepts = conceptsFor(cfg, own === cfg || own === "simple" ? raw : raw.filter((c) => !own || stem(own, c.word).length > 0), stem);
    // Filler words ("find", "need") are never a question's concepts, so they cannot name a subject either.
    const { fillerStems } = vocabulary(cfg);
    const lexemes = [...new Set(concepts.flatMap((c) => c.alternatives.flatMap((a) => a.lexemes)))];
    if (lexemes.length === 0) continue;
    const query = lexemes.map((l) => `'${l.replace(/'/g, "''")}'${l.length >= 4 ? ":*" : ""}`).join(" | ");
    const candidates = rowsOf<{ id: string; language: string; lexemes: Array<[string, string[] | null]>; subjects: string[][] }>(
      await db.execute(sql`
        select ${knowledgeArticles.id} as id, ${knowledgeArticles.language} as language, (select coalesce(jsonb_agg(jsonb_build_array(u.lexeme, u.weights)), '[]'::jsonb) from unnest(${knowledgeArticles.search}) u) as lexemes,
          (select coalesce(jsonb_agg(to_jsonb(array(select lexeme from unnest(to_tsvector(${cfg}::regconfig, p))))), '[]'::jsonb) from unnest(array[${knowledgeArticles.title}] || ${knowledgeArticles.tags}) p) as subjects
        from ${knowledgeArticles}
        where ${where} and ${knowledgeArticles.tsConfig} = ${cfg} and ${knowledgeArticles.search} @@ ${query}::tsquery
        order by ts_rank(${knowledgeArticles.search}, ${query}::tsquery) desc
        limit ${CANDIDATES}`),
    );
    if (candidates.length === 0) continue;
    const dfRows = rowsOf<{ lexeme: string; df: number }>(
      await db.execute(sql`
        select u.lexeme, count(*)::int as df from ${knowledgeArticles} cross join lateral unnest(${knowledgeArticles.search}) u
        where ${where} and ${knowledgeArticles.tsConfig} = ${cfg} and u.lexeme = any(${sql.param(lexemes)}::text[])
        group by u.lexeme`),
    );
    const df = new Map(dfRows.map((r) => [r.lexeme, Number(r.df)]));
    const ranked = rankArticles(
      concepts,
      candidates.map((c) => ({ id: c.id, language: c.language, lexemes: toLexemes(c.lexemes), subjects: c.subjects.map((p) => p.filter((l) => !fillerStems.has(l))) })),
      df,
      n.get(cfg) ?? candidates.length,
    );
    for (const r of ranked) {
      const factor = preferred && r.article.language !== preferred ? OTHER_LANGUAGE : 1;
      scored.push({ id: r.article.id, language: r.article.language, coverage: r.coverage * factor, confidence: r.confidence * factor });
    }
  }
  scored.sort((a, b) => b.coverage - a.coverage);
  // Across configurations, the runner-up is the next article in the best one's language: an article
  // in another language is more often its translation than a rival answer.
  const [best] = scored;
  const rival = best && scored.find((h) => h !== best && h.language === best.language);
  if (best && rival) best.confidence = Math.min(best.confidence, confidence(best.coverage, rival.coverage));
  const top = scored.slice(0, opts.limit ?? 5);
  if (top.length === 0) return { language: detected.code, hits: [] };
  const rows = await db.select().from(knowledgeArticles).where(and(where, sql`${knowledgeArticles.id} = any(${sql.param(top.map((h) => h.id))}::uuid[])`));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = top.flatMap((h) => {
    const article = byId.get(h.id);
    return article ? [{ article, coverage: h.coverage, confidence: h.confidence }] : [];
  });
  return { language: detected.code, hits };
}

type Stem = (cfg: string, word: string) => string[];
const key = (cfg: string, w: string) => `${cfg}\u0000${w}`;
const stemCache = new Map<string, string[]>();
/** The fixed words (synonyms, the lexicon, fillers), stemmed once per configuration and kept. */
const fixedWords = [...new Set([...synonymGroups.flat(), ...fillerWords])];
const fixedStems = new Map<string, string[]>();
const fixedConfigs = new Set<string>();

async function stemWords(db: Executor, configs: string[], words: string[]) {
  return rowsOf<{ cfg: string; word: string; lexemes: string[] }>(
    await db.execute(sql`
      select c.cfg, w.word, array(select lexeme from unnest(to_tsvector(c.cfg::regconfig, w.word))) as lexemes
      from unnest(${sql.param(configs)}::text[]) c(cfg) cross join unnest(${sql.param(words)}::text[]) w(word)`),
  );
}

/** Stems the question's words (and, once per configuration, the fixed words) with PostgreSQL's configurations (cached: stemming never changes). */
async function stemmer(db: Executor, configs: string[], words: string[]): Promise<Stem> {
  const newConfigs = configs.filter((c) => !fixedConfigs.has(c));
  if (newConfigs.length) {
    for (const r of await stemWords(db, newConfigs, fixedWords)) fixedStems.set(key(r.cfg, r.word), r.lexemes);
    for (const c of newConfigs) fixedConfigs.add(c);
  }
  const unique = [...new Set(words)];
  // Customers' words are unbounded: start over rather than grow for ever in a long-running worker.
  if (stemCache.size > 50_000) stemCache.clear();
  const missing = unique.filter((w) => configs.some((c) => !stemCache.has(key(c, w))));
  if (missing.length) for (const r of await stemWords(db, configs, missing)) stemCache.set(key(r.cfg, r.word), r.lexemes);
  // This search's own copy: another search may clear the cache while this one awaits its queries.
  const mine = new Map(configs.flatMap((c) => unique.map((w) => [key(c, w), stemCache.get(key(c, w)) ?? []] as const)));
  return (cfg, word) => mine.get(key(cfg, word)) ?? fixedStems.get(key(cfg, word)) ?? [];
}

const fixedStem: Stem = (cfg, word) => fixedStems.get(key(cfg, word)) ?? [];
const vocabularies = new Map<string, { fillerStems: Set<string>; groupsOf: Map<string, number[]> }>();

/**
 * Per configuration, built once from the fixed words: the stems of fillers, and which synonym groups
 * a stemmed word belongs to (a long message has many words and the lexicon many groups).
 */
function vocabulary(cfg: string) {
  let v = vocabularies.get(cfg);
  if (!v) {
    const groupsOf = new Map<string, number[]>();
    synonymGroups.forEach((g, i) => {
      for (const entry of g) {
        const k = lexemeKey(fixedStem(cfg, entry));
        groupsOf.set(k, [...(groupsOf.get(k) ?? []), i]);
      }
    });
    v = { fillerStems: new Set(fillerWords.flatMap((w) => fixedStem(cfg, w))), groupsOf };
    vocabularies.set(cfg, v);
  }
  return v;
}

const lexemeKey = (lexemes: string[]) => [...lexemes].sort().join("+");
const sameLexemes = (a: string[], b: string[]) => a.length === b.length && a.every((l) => b.includes(l));

/**
 * The question's concepts in one configuration: each word's stems, plus the other members of any
 * synonym group it belongs to (compared by stem, so "costs" finds the group of "cost"). Words that
 * stem to nothing (stop words) or only to fillers are dropped.
 */
function conceptsFor(cfg: string, raw: RawConcept[], stem: Stem): Concept[] {
  const { fillerStems, groupsOf } = vocabulary(cfg);
  const concepts: Concept[] = [];
  for (const c of raw) {
    const own = stem(cfg, c.word);
    if (own.length === 0 || own.every((l) => fillerStems.has(l))) continue;
    const synonyms = [...new Set(groupsOf.get(lexemeKey(own)) ?? [])]
      .flatMap((i) => synonymGroups[i]!)
      .map((entry) => stem(cfg, entry))
      .filter((l) => l.length > 0 && !sameLexemes(l, own));
    const unique = [...new Map(synonyms.map((l) => [l.join("+"), l])).values()];
    concepts.push({ numeric: c.numeric, focus: c.focus, alternatives: [{ lexemes: own, synonym: false }, ...unique.map((lexemes) => ({ lexemes, synonym: true }))] });
  }
  return concepts;
}

function toLexemes(pairs: Array<[string, string[] | null]>): ArticleLexemes {
  const order: Weight[] = ["A", "B", "C", "D"];
  const map: ArticleLexemes = new Map();
  for (const [lexeme, weights] of pairs) {
    // Positions without an explicit weight are D; keep the strongest.
    const best = (weights ?? ["D"]).map((w) => w as Weight).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? "D";
    map.set(lexeme, best);
  }
  return map;
}
