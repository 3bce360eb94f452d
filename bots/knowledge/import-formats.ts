/**
 * Parsers for knowledge imports: Markdown files, CSV and JSON. Pure: they return the articles and
 * every problem found (file, line, what is wrong); the caller writes nothing when there is one.
 */

export type ArticleDraft = { externalId: string | null; title: string; body: string; tags: string[]; language: string; enabled: boolean };
export type ImportProblem = { file: string; line?: number; message: string };
export type ImportFile = { name: string; content: string };
type Parsed = { drafts: ArticleDraft[]; problems: ImportProblem[] };

const slug = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 120);
const baseName = (name: string) => name.replace(/^.*[\\/]/, "").replace(/\.[^.]+$/, "");
const splitTags = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : typeof v === "string" ? v.split(/[|;,]/) : []).map((t) => t.trim()).filter(Boolean);
const parseBool = (v: unknown): boolean | null => {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "boolean") return v;
  const s = String(v).trim().toLowerCase();
  if (["true", "yes", "1", "y", "on"].includes(s)) return true;
  if (["false", "no", "0", "n", "off"].includes(s)) return false;
  return null;
};

export function parseImport(format: "markdown" | "csv" | "json", files: ImportFile[], defaultLanguage: string): Parsed {
  const out: Parsed = { drafts: [], problems: [] };
  const seen = new Set<string>();
  for (const file of files) {
    const parsed = format === "markdown" ? parseMarkdown(file, defaultLanguage) : format === "csv" ? parseCsv(file, defaultLanguage) : parseJson(file, defaultLanguage);
    out.problems.push(...parsed.problems);
    for (const d of parsed.drafts) {
      if (d.externalId && seen.has(d.externalId)) out.problems.push({ file: file.name, message: `the id ${d.externalId} is used by more than one article` });
      if (d.externalId) seen.add(d.externalId);
      out.drafts.push(d);
    }
  }
  return out;
}

/** Checks one article's fields; returns the draft or the problems. */
function check(file: string, line: number | undefined, a: { id?: unknown; title?: unknown; body?: unknown; tags?: unknown; language?: unknown; enabled?: unknown }, defaultLanguage: string): { draft?: ArticleDraft; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const at = (message: string) => problems.push({ file, ...(line ? { line } : {}), message });
  const title = typeof a.title === "string" ? a.title.trim() : "";
  const body = typeof a.body === "string" ? a.body.trim() : "";
  const tags = splitTags(a.tags);
  const language = (typeof a.language === "string" && a.language.trim() ? a.language.trim().toLowerCase() : defaultLanguage).slice(0, 10);
  const enabled = parseBool(a.enabled);
  const externalId = a.id === undefined || a.id === null || a.id === "" ? null : String(a.id).trim();
  if (!title) at("the title is missing");
  else if (title.length > 300) at("the title is longer than 300 characters");
  if (!body) at(`the body of "${title || "an article"}" is empty`);
  else if (body.length > 20_000) at(`the body of "${title}" is longer than 20,000 characters`);
  if (!/^[a-z]{2}$/.test(language)) at(`language "${language}" is not a two-letter code such as en or de`);
  if (tags.length > 30 || tags.some((t) => t.length > 50)) at("at most 30 tags of at most 50 characters");
  if (a.enabled !== undefined && a.enabled !== null && a.enabled !== "" && enabled === null) at(`enabled must be true or false, not "${String(a.enabled)}"`);
  if (externalId && externalId.length > 200) at("the id is longer than 200 characters");
  if (problems.length) return { problems };
  return { draft: { externalId, title, body, tags, language, enabled: enabled ?? true }, problems };
}

// ---------------------------------------------------------------------------------------------

function frontMatter(content: string): { meta: Record<string, unknown>; rest: string; bodyLine: number } {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(content);
  if (!m) return { meta: {}, rest: content.replace(/^\uFEFF/, ""), bodyLine: 1 };
  const meta: Record<string, unknown> = {};
  let listKey: string | null = null;
  for (const raw of m[1]!.split(/\r?\n/)) {
    const item = /^\s*-\s+(.*)$/.exec(raw);
    if (item && listKey) {
      (meta[listKey] as string[]).push(unquote(item[1]!));
      continue;
    }
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(raw);
    if (!kv) continue;
    const key = kv[1]!.toLowerCase();
    const value = kv[2]!.trim();
    if (value === "") {
      meta[key] = [];
      listKey = key;
    } else {
      listKey = null;
      meta[key] = /^\[.*\]$/.test(value) ? value.slice(1, -1).split(",").map(unquote).filter(Boolean) : unquote(value);
    }
  }
  return { meta, rest: content.slice(m[0].length), bodyLine: m[0].split("\n").length };
}
const unquote = (s: string) => s.trim().replace(/^(["'])(.*)\1$/, "$2");

/**
 * A Markdown file is one article: its title from the front matter or its first heading (else the
 * file name). A file with several headings of one level (# or ##) is one article per heading.
 */
function parseMarkdown(file: ImportFile, defaultLanguage: string): Parsed {
  const { meta, rest, bodyLine } = frontMatter(file.content);
  const common = { tags: meta.tags, language: meta.language ?? meta.lang, enabled: meta.enabled };
  const lines = rest.split(/\r?\n/);
  const headings: Array<{ level: number; text: string; index: number }> = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const h = !fenced && /^(#{1,2})\s+(.+?)\s*#*\s*$/.exec(line);
    if (h) headings.push({ level: h[1]!.length, text: h[2]!, index });
  });
  const out: Parsed = { drafts: [], problems: [] };
  const level = [1, 2].find((l) => headings.filter((h) => h.level === l).length >= 2);
  if (!meta.title && level) {
    const parts = headings.filter((h) => h.level === level);
    parts.forEach((h, i) => {
      const end = parts[i + 1]?.index ?? lines.length;
      const body = lines.slice(h.index + 1, end).join("\n");
      const r = check(file.name, bodyLine + h.index, { ...common, id: `${slug(baseName(file.name))}#${slug(h.text)}`, title: h.text, body }, defaultLanguage);
      if (r.draft) out.drafts.push(r.draft);
      out.problems.push(...r.problems);
    });
    return out;
  }
  let title = typeof meta.title === "string" ? meta.title : "";
  let bodyLines = lines;
  if (!title) {
    const first = headings[0];
    if (first) {
      title = first.text;
      bodyLines = [...lines.slice(0, first.index), ...lines.slice(first.index + 1)];
    } else title = baseName(file.name).replace(/[-_]+/g, " ");
  }
  const r = check(file.name, undefined, { ...common, id: meta.id ?? slug(baseName(file.name)), title, body: bodyLines.join("\n") }, defaultLanguage);
  if (r.draft) out.drafts.push(r.draft);
  out.problems.push(...r.problems);
  return out;
}

// ---------------------------------------------------------------------------------------------

/** RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks); comma or semicolon separated. */
export function csvRows(text: string): Array<{ line: number; cells: string[] }> {
  const src = text.replace(/^\uFEFF/, "");
  const firstLine = src.split(/\r?\n/, 1)[0] ?? "";
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === sep) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      cells.push(cell);
      if (cells.some((c) => c.trim() !== "")) rows.push({ line: rowLine, cells });
      cells = [];
      cell = "";
      line++;
      rowLine = line;
    } else cell += ch;
  }
  cells.push(cell);
  if (cells.some((c) => c.trim() !== "")) rows.push({ line: rowLine, cells });
  return rows;
}

const columnNames: Record<string, string[]> = {
  id: ["id", "external_id", "externalid", "key", "slug"],
  title: ["title", "question", "heading", "name"],
  body: ["body", "answer", "content", "text"],
  tags: ["tags", "keywords", "tag"],
  language: ["language", "lang", "locale"],
  enabled: ["enabled", "active", "published"],
};

/** CSV with a header row naming at least title and body; tags separated by | or ;. Rows without an id get one from the title. */
function parseCsv(file: ImportFile, defaultLanguage: string): Parsed {
  const out: Parsed = { drafts: [], problems: [] };
  const [header, ...rows] = csvRows(file.content);
  if (!header) return { drafts: [], problems: [{ file: file.name, message: "the file is empty" }] };
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const col = (field: string) => names.findIndex((n) => columnNames[field]!.includes(n));
  if (col("title") < 0 || col("body") < 0) {
    return { drafts: [], problems: [{ file: file.name, line: 1, message: `the header row must name a title and a body column (found: ${names.join(", ")})` }] };
  }
  for (const row of rows) {
    const get = (field: string) => (col(field) >= 0 ? row.cells[col(field)] : undefined);
    const title = get("title")?.trim();
    const r = check(file.name, row.line, { id: get("id")?.trim() || (title ? slug(title) : undefined), title, body: get("body"), tags: get("tags"), language: get("language"), enabled: get("enabled") }, defaultLanguage);
    if (r.draft) out.drafts.push(r.draft);
    out.problems.push(...r.problems);
  }
  return out;
}

/** A JSON array of {id?, title, body, tags?, language?, enabled?} (or {articles: [...]}). */
function parseJson(file: ImportFile, defaultLanguage: string): Parsed {
  let data: unknown;
  try {
    data = JSON.parse(file.content.replace(/^\uFEFF/, ""));
  } catch (err) {
    return { drafts: [], problems: [{ file: file.name, message: `not valid JSON: ${(err as Error).message}` }] };
  }
  const list = Array.isArray(data) ? data : Array.isArray((data as { articles?: unknown })?.articles) ? (data as { articles: unknown[] }).articles : null;
  if (!list) return { drafts: [], problems: [{ file: file.name, message: "expected an array of articles (or an object with an articles array)" }] };
  const out: Parsed = { drafts: [], problems: [] };
  list.forEach((item, i) => {
    if (!item || typeof item !== "object") {
      out.problems.push({ file: file.name, message: `item ${i + 1} is not an object` });
      return;
    }
    const a = item as Record<string, unknown>;
    const r = check(file.name, undefined, { id: a.id ?? a.externalId, title: a.title, body: a.body, tags: a.tags, language: a.language, enabled: a.enabled }, defaultLanguage);
    if (r.draft) out.drafts.push(r.draft);
    out.problems.push(...r.problems.map((p) => ({ ...p, message: `item ${i + 1}: ${p.message}` })));
  });
  return out;
}
