/**
 * Telling database failures apart: data PostgreSQL will never accept (retrying cannot help) versus a
 * database that is away for now (retry later, and pause the workers meanwhile).
 */

type ErrorLike = { code?: unknown; cause?: unknown; message?: unknown; name?: unknown };

/** The SQLSTATE (or Node socket code) of an error or of any error it wraps (drizzle wraps pg's). */
export function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e = err as ErrorLike | undefined, i = 0; e && typeof e === "object" && i < 6; e = e.cause as ErrorLike | undefined, i++) {
    if (typeof e.code === "string") codes.push(e.code);
  }
  return codes;
}

/**
 * Data exceptions (class 22: NUL or invalid text, bad dates, out-of-range numbers, invalid uuids)
 * and program limits (class 54: an index row too large): the same input fails the same way forever.
 */
export function isPermanentDataError(err: unknown): boolean {
  return errorCodes(err).some((c) => /^(22|54)[0-9A-Z]{3}$/.test(c));
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN", "57P01", "57P02", "57P03", "53300"]);

/** The database is unreachable or restarting (connection refused or lost, shutting down, starting up). */
export function isConnectionError(err: unknown): boolean {
  if (errorCodes(err).some((c) => CONNECTION_CODES.has(c) || c.startsWith("08"))) return true;
  for (let e = err as ErrorLike | undefined, i = 0; e && typeof e === "object" && i < 6; e = e.cause as ErrorLike | undefined, i++) {
    const m = typeof e.message === "string" ? e.message : "";
    if (/Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|the database system is (starting|shutting) up|timeout exceeded when trying to connect|Cannot use a pool after calling end/i.test(m)) return true;
  }
  return false;
}

/** The first SQLSTATE-looking code, for logs (never the message: it can quote the data). */
export const sqlStateOf = (err: unknown) => errorCodes(err).find((c) => /^[0-9A-Z]{5}$/.test(c));
