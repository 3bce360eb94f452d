import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { KnowledgeArticleInput, type KnowledgeArticle } from "../../../../shared/schemas/index.js";
import { api } from "../../api";
import { validateForm } from "../../lib/errors";
import { keys } from "../../query-client";
import { ErrorMessage } from "../error-message";
import { KnowledgeImport } from "./knowledge-import";

interface Draft {
  title: string;
  body: string;
  tags: string;
  language: string;
  enabled: boolean;
}
const empty: Draft = { title: "", body: "", tags: "", language: "en", enabled: true };
const toDraft = (a: KnowledgeArticle): Draft => ({ title: a.title, body: a.body, tags: a.tags.join(", "), language: a.language, enabled: a.enabled });
const tagList = (s: string) =>
  s
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

/** Admin → Knowledge: the articles the bot answers from; search, write, edit, import. */
export function KnowledgePanel() {
  const qc = useQueryClient();
  const [q, setQ] = useState("");
  const { data, error: loadError, isLoading } = useQuery({ queryKey: keys.articles(q.trim()), queryFn: () => api.listArticles({ q: q.trim() || undefined, limit: 200 }) });
  const [editing, setEditing] = useState<KnowledgeArticle | "new" | null>(null);
  const reload = () => qc.invalidateQueries({ queryKey: ["articles"] });

  return (
    <section className="admin-section" aria-labelledby="knowledge-title">
      <h2 id="knowledge-title">Knowledge base</h2>
      <div className="form-row">
        <label>
          Search articles
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Words in the title, tags or text" data-testid="kb-admin-search" />
        </label>
        <button type="button" className="primary" onClick={() => setEditing("new")} data-testid="kb-new">
          New article
        </button>
      </div>
      {editing && (
        <ArticleForm
          key={editing === "new" ? "new" : editing.id}
          article={editing === "new" ? null : editing}
          onDone={() => {
            setEditing(null);
            void reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <ErrorMessage error={loadError} />
      {isLoading && <p className="muted">Loading articles…</p>}
      {data?.items.length === 0 && <p className="muted">{q.trim() ? "No article matches." : "No articles yet: write one or import files."}</p>}
      {data && data.items.length > 0 && (
        <ul className="canned-list" data-testid="kb-articles">
          {data.items.map((a) => (
            <li key={a.id} data-testid="kb-article" data-enabled={a.enabled}>
              <div>
                <strong dir="auto">{a.title}</strong> <span className="badge">{a.language}</span>
                {!a.enabled && <span className="badge">disabled</span>}
                {a.tags.map((t) => (
                  <span key={t} className="badge">
                    {t}
                  </span>
                ))}
                <p className="muted clamp-2" dir="auto">
                  {a.body}
                </p>
              </div>
              <button type="button" className="button-small" onClick={() => setEditing(a)} aria-label={`Edit ${a.title}`}>
                Edit
              </button>
            </li>
          ))}
        </ul>
      )}
      <KnowledgeImport onImported={() => void reload()} />
    </section>
  );
}

function ArticleForm({ article, onDone, onCancel }: { article: KnowledgeArticle | null; onDone: () => void; onCancel: () => void }) {
  const [d, setD] = useState<Draft>(article ? toDraft(article) : empty);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const body = validateForm(KnowledgeArticleInput, { title: d.title, body: d.body, tags: tagList(d.tags), language: d.language, enabled: d.enabled });
      if (article) await api.updateArticle(article.id, { title: body.title, body: body.body, tags: body.tags, language: body.language, enabled: body.enabled });
      else await api.createArticle(body);
    });
  }

  return (
    <form className="panel form-grid" onSubmit={submit} aria-label={article ? `Edit ${article.title}` : "New article"} data-testid="kb-form">
      <label>
        Title
        <input required maxLength={300} value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} data-testid="kb-title" dir="auto" />
      </label>
      <label>
        Tags <span className="muted">(comma-separated)</span>
        <input value={d.tags} onChange={(e) => setD({ ...d, tags: e.target.value })} data-testid="kb-tags" />
      </label>
      <label>
        Language <span className="muted">(two letters, e.g. en, de)</span>
        <input required maxLength={2} value={d.language} onChange={(e) => setD({ ...d, language: e.target.value })} data-testid="kb-language" />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={d.enabled} onChange={(e) => setD({ ...d, enabled: e.target.checked })} data-testid="kb-enabled" /> Enabled (the bot may
        answer with it)
      </label>
      <label className="wide">
        Text
        <textarea required rows={6} maxLength={20000} value={d.body} onChange={(e) => setD({ ...d, body: e.target.value })} data-testid="kb-body" dir="auto" />
      </label>
      <ErrorMessage error={error} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy} data-testid="kb-save">
          {article ? "Save article" : "Add article"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {article &&
          (confirmDelete ? (
            <span role="alert">
              Delete “{article.title}”?{" "}
              <button type="button" className="button-small danger" disabled={busy} onClick={() => void run(() => api.deleteArticle(article.id))}>
                Delete
              </button>
            </span>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          ))}
      </div>
    </form>
  );
}
