import { ApiError } from "../api";

/** Shows an API error's message (and field issues) to the user. */
export function ErrorMessage({ error, className }: { error: unknown; className?: string }) {
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? error.message
      : error instanceof Error && error.message
        ? error.message
        : "Something went wrong. Please try again.";
  const shown = message.charAt(0).toUpperCase() + message.slice(1);
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div className={`error-message ${className ?? ""}`} role="alert" data-testid="error-message">
      <p>{shown}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue, i) => (
            <li key={i}>
              {issue.path ? <strong>{issue.path}: </strong> : null}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
