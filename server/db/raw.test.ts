import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, type Database } from "./client.js";
import { messages } from "./schema.js";
import { isoOf, rowOf, runStatement, statement } from "./raw.js";

// The driver the test run uses: PostgreSQL when DATABASE_URL is set (named statements), else PGlite.
const schema = `raw_test_${randomUUID().slice(0, 8)}`;
let database: Database;
beforeAll(async () => {
  database = await openDatabase({ url: process.env.DATABASE_URL, schema, dataDir: "memory://", poolSize: 2 });
  await database.db.execute(sql.raw(`create table ${schema}_t (id bigserial primary key, at timestamptz(3) not null, data jsonb not null, label text)`));
}, 60_000);
afterAll(async () => {
  await database.db.execute(sql.raw(`drop table if exists ${schema}_t`)).catch(() => {});
  if (process.env.DATABASE_URL) await database.db.execute(sql.raw(`drop schema if exists "${schema}" cascade`)).catch(() => {});
  await database?.close();
});

describe("fixed statements with array parameters", () => {
  it("insert rows in the order given, whatever their number, and return them as the driver reads them", async () => {
    const insert = statement(
      `raw_test_insert_${schema}`,
      `insert into ${schema}_t (at, data, label)
       select at, data::jsonb, label from unnest($1::timestamptz[], $2::text[], $3::text[]) with ordinality as r(at, data, label, n) order by n
       returning id, at, data, label`,
    );
    const at = new Date("2026-01-02T03:04:05.678Z");
    for (const size of [1, 3]) {
      const labels = Array.from({ length: size }, (_, i) => (i === 1 ? null : `l,"${i}'`)); // quotes, commas and NULL survive the array
      const rows = await runStatement<{ id: string | number; at: Date; data: unknown; label: string | null }>(database.db, insert, [
        labels.map(() => isoOf(at)),
        labels.map((_, i) => JSON.stringify({ i, text: 'a "b"' })),
        labels,
      ]);
      expect(rows.map((r) => r.label)).toEqual(labels);
      expect(rows.map((r) => (r.data as { i: number }).i)).toEqual(labels.map((_, i) => i));
      expect(rows.every((r) => r.at instanceof Date && r.at.getTime() === at.getTime())).toBe(true);
      const ids = rows.map((r) => Number(r.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b)); // ids follow the order given
    }
  });

  it("list every column of a table under its property name and read bigint columns as numbers", () => {
    const row = rowOf(messages);
    expect(row.list).toContain(`"conversation_id" as "conversationId"`);
    expect(row.list).toContain(`"seq" as "seq"`);
    expect(row.read({ seq: "12", text: "x" })).toEqual({ seq: 12, text: "x" });
  });

  it("name two tables' columns apart in one select and read each table's row out of it", () => {
    const message = rowOf(messages, { from: "m", prefix: "" });
    const parent = rowOf(messages, { from: "p", prefix: "parent." });
    expect(message.list).toContain(`m."conversation_id" as "conversationId"`);
    expect(parent.list).toContain(`p."conversation_id" as "parent.conversationId"`);
    const joined = { id: "a", seq: "3", text: "reply", "parent.id": "b", "parent.seq": "2", "parent.text": "question" };
    expect(message.read({ ...joined })).toMatchObject({ id: "a", seq: 3, text: "reply" });
    expect(message.read({ ...joined })).not.toHaveProperty("parent.id");
    expect(parent.read({ ...joined })).toMatchObject({ id: "b", seq: 2, text: "question" });
  });
});
