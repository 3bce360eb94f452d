import type { NextFunction, Request, Response } from "express";
import { jsonHasUnstorableEscapes, jsonTooDeep, MAX_JSON_DEPTH } from "./hostile-input.js";

const clientError = (message: string, type: string) => Object.assign(new Error(message), { status: 400, expose: true, type });

/**
 * Options for the API's JSON body parser: nesting is measured on the raw bytes before parsing (and
 * before anything walks the value), and so are strings PostgreSQL cannot store (NUL, lone
 * surrogates): a 400 rather than a failed insert.
 */
export const apiJsonOptions = {
  limit: "1mb",
  verify(_req: unknown, _res: unknown, buf: Buffer) {
    if (jsonTooDeep(buf)) throw clientError(`body nests JSON deeper than ${MAX_JSON_DEPTH} levels`, "json.too.deep");
    if (jsonHasUnstorableEscapes(buf)) throw clientError("body contains a NUL character or broken Unicode (\\u0000, half a surrogate pair)", "json.nul");
  },
};

/** A NUL (%00) anywhere in the path or query is refused before any route sees it. */
export function refuseNulInUrl(req: Request, res: Response, next: NextFunction) {
  if (/%00/i.test(req.url)) return res.status(400).json({ error: "the URL contains a NUL character", code: "nul_character" });
  next();
}
