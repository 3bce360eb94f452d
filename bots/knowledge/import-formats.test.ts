import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { csvRows, parseImport } from "./import-formats.js";

describe("knowledge import formats", () => {
  it("reads the JSON format of the evaluation knowledge bases", () => {
    const content = readFileSync(new URL("../../test/bot-eval/kb.json", import.meta.url), "utf8");
    const { drafts, problems } = parseImport("json", [{ name: "kb.json", content }], "en");
    expect(problems).toEqual([]);
    expect(drafts).toHaveLength(28);
    expect(drafts.find((d) => d.externalId === "winter-sale")).toMatchObject({ enabled: false, language: "en" });
    expect(drafts.find((d) => d.externalId === "de-garantie")).toMatchObject({ language: "de", tags: ["Garantie", "Gewährleistung", "Reparatur", "Mangel"] });
  });

  it("reads a Markdown file with front matter as one article", () => {
    const md = "---\ntitle: \"Can I pay by invoice?\"\ntags: [payment, invoice]\nlanguage: en\nid: pay-invoice\n---\nYes, with **Klarna**.\n";
    expect(parseImport("markdown", [{ name: "pay.md", content: md }], "de").drafts).toEqual([
      { externalId: "pay-invoice", title: "Can I pay by invoice?", body: "Yes, with **Klarna**.", tags: ["payment", "invoice"], language: "en", enabled: true },
    ]);
  });

  it("reads a Markdown file with one heading as one article, and one with several as one per heading", () => {
    const one = parseImport("markdown", [{ name: "docs/Returns.md", content: "# How do I return an item?\n\nWithin 30 days.\n" }], "en").drafts;
    expect(one).toEqual([{ externalId: "returns", title: "How do I return an item?", body: "Within 30 days.", tags: [], language: "en", enabled: true }]);
    const many = parseImport("markdown", [{ name: "faq.md", content: "---\ntags:\n  - faq\n---\n# FAQ\n\n## Shipping\nTwo days.\n\n## Returns\n```\n## not a heading\n```\nThirty days.\n" }], "en").drafts;
    expect(many.map((d) => [d.externalId, d.title, d.tags])).toEqual([
      ["faq#shipping", "Shipping", ["faq"]],
      ["faq#returns", "Returns", ["faq"]],
    ]);
    expect(many[1]!.body).toContain("## not a heading");
  });

  it("reads CSV with quoted fields, semicolons and header aliases", () => {
    const csv = '\uFEFFQuestion;Answer;Tags;Lang\n"Wie lange dauert die Lieferung?";"2 bis 4 Werktage; ""Express"" am nächsten Tag.\nNur Deutschland.";Versand|Lieferung;de\n';
    const { drafts, problems } = parseImport("csv", [{ name: "faq.csv", content: csv }], "en");
    expect(problems).toEqual([]);
    expect(drafts).toEqual([
      { externalId: "wie-lange-dauert-die-lieferung", title: "Wie lange dauert die Lieferung?", body: '2 bis 4 Werktage; "Express" am nächsten Tag.\nNur Deutschland.', tags: ["Versand", "Lieferung"], language: "de", enabled: true },
    ]);
    expect(csvRows("a,b\n1,2\n\n3,4").map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("reports every problem with its file and line", () => {
    const csv = "title,body,enabled\nGood,Fine,yes\n,No title,\nEmpty body,,\nBad flag,Text,maybe\n";
    const { problems } = parseImport("csv", [{ name: "bad.csv", content: csv }], "en");
    expect(problems).toEqual([
      { file: "bad.csv", line: 3, message: "the title is missing" },
      { file: "bad.csv", line: 4, message: 'the body of "Empty body" is empty' },
      { file: "bad.csv", line: 5, message: 'enabled must be true or false, not "maybe"' },
    ]);
    expect(parseImport("json", [{ name: "x.json", content: "{" }], "en").problems[0]!.message).toMatch(/not valid JSON/);
    expect(parseImport("json", [{ name: "x.json", content: '[{"id":"a","title":"A","body":"x"},{"id":"a","title":"B","body":"y"}]' }], "en").problems).toEqual([
      { file: "x.json", message: "the id a is used by more than one article" },
    ]);
    expect(parseImport("csv", [{ name: "h.csv", content: "name;text2\nx;y" }], "en").problems[0]!.message).toMatch(/header row/);
  });
});
