import { describeError, fieldName } from "../lib/errors";

/** Shows an error to the user: friendly words for its code, the server's detail where it helps, field issues. */
export function ErrorMessage({ error, className }: { error: unknown; className?: string }) {
  if (!error) return null;
  const { title, detail, issues } = describeError(error);
  return (
    <div className={`error-message ${className ?? ""}`} role="alert" data-testid="error-message">
      <p>{title}</p>
      {detail && <p className="error-detail" data-testid="error-detail">{detail}</p>}
      {issues.length > 0 && (
        <ul>
          {issues.map((issue, i) => (
            <li key={i}>
              {issue.path ? <strong>{fieldName(issue.path)}: </strong> : null}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
