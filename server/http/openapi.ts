import { z } from "zod";
import { ErrorBody } from "../../shared/schemas/common.js";
import type { RouteTable } from "./route.js";

const toJson = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any", target: "openapi-3.0" }) as Record<string, unknown>;

/** The OpenAPI 3 document, generated from the same zod schemas that validate the requests. */
export function openApiDocument(table: RouteTable, extra: Record<string, unknown>, serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of table.routes) {
    const path = "/api" + r.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const parameters: unknown[] = [];
    for (const [where, schema] of [["path", r.params], ["query", r.query]] as const) {
      if (!schema) continue;
      const json = toJson(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: r.raw
        ? { description: "The file's bytes (206 for a Range request)", content: { "*/*": { schema: { type: "string", format: "binary" } } } }
        : {
            description: "OK",
            content: {
              "application/json": { schema: toJson(r.response, "output") },
              ...Object.fromEntries((r.alsoProduces ?? []).map((type) => [type, { schema: { type: "string" } }])),
            },
          },
      "400": { description: "Invalid input", content: { "application/json": { schema: toJson(ErrorBody, "output") } } },
    };
    if (r.access !== "public") {
      responses["401"] = { description: "Not logged in" };
      responses["403"] = { description: `Needs role ${r.access.join(" or ")}` };
    }
    if (r.params) responses["404"] = { description: "Not found in your workspace" };
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.access === "public" ? { security: [] } : { "x-roles": r.access }),
      parameters,
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: toJson(r.body, "input") } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: "Parley API", version: "0.1.0", description: "Social customer-service inbox. Cookie session from POST /api/auth/login." },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { session: { type: "apiKey", in: "cookie", name: "parley_session" } } },
    security: [{ session: [] }],
    paths: { ...paths, ...extra },
  };
}
