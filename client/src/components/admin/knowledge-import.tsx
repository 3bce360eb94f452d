import { useState, type FormEvent } from "react";
import { knowledgeImportFormats } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { ErrorMessage } from "../error-message";

type Format = (typeof knowledgeImportFormats)[number];

/** The import format a file's name says (Markdown, CSV or JSON), or null. */
export function importFormat(name: string): Format | null {
  const ext = name.toLowerCase().split(".").pop();
  if (ext === "md" || ext === "markdown") return "markdown";
  if (ext === "csv") return "csv";
  if (ext === "json") return "json";
  return null;
}

/** Imports Markdown, CSV or JSON files; articles with the same id in the file are updated, not doubled. */
export function KnowledgeImport({ onImported }: { onImported: () => void }) {
  const [files, setFiles] = useState<File[]>([]);
  const [language, setLanguage] = useState("en");
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setResult(null);
    const unknown = files.filter((f) => !importFormat(f.name));
    if (unknown.length) {
      setError(new Error(`Only .md, .csv and .json files can be imported (not ${unknown.map((f) => f.name).join(", ")}).`));
      return;
    }
    setBusy(true);
    try {
      let created = 0;
      let updated = 0;
      // One request per format: the server reads every file of a request the same way.
      for (const format of knowledgeImportFormats) {
        const group = files.filter((f) => importFormat(f.name) === format);
        if (!group.length) continue;
        const r = await api.importArticles({ format, language, files: await Promise.all(group.map(async (f) => ({ name: f.name, content: await f.text() }))) });
        created += r.created;
        updated += r.updated;
      }
      setResult(`Imported: ${created} new, ${updated} updated.`);
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel form-row" onSubmit={submit} aria-labelledby="kb-import-title">
      <h3 id="kb-import-title" className="wide">
        Import files
      </h3>
      <label>
        Markdown, CSV or JSON files
        <input type="file" multiple accept=".md,.markdown,.csv,.json" onChange={(e) => setFiles([...(e.target.files ?? [])])} data-testid="kb-import-files" />
      </label>
      <label>
        Language when a file does not say
        <input maxLength={2} value={language} onChange={(e) => setLanguage(e.target.value)} />
      </label>
      <button type="submit" disabled={busy || files.length === 0} data-testid="kb-import">
        {busy ? "Importing…" : "Import"}
      </button>
      <ErrorMessage error={error} />
      {result && (
        <p role="status" className="text-success" data-testid="kb-import-result">
          {result}
        </p>
      )}
    </form>
  );
}
