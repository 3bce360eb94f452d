import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db/client.js";
import { users, workspaces } from "../../server/db/schema.js";
import { importArticles } from "./articles.js";
import { DEFAULT_MIN_CONFIDENCE } from "./confidence.js";
import { parseImport } from "./import-formats.js";
import { searchKnowledge } from "./search.js";

// A made-up language school, written for these tests (not taken from the evaluation sets).
const articles = [
  { id: "cancel-course", title: "How do I cancel a course?", tags: ["cancel", "withdraw"], body: "Cancel in your account up to 7 days before the first lesson and get your fee back in full." },
  { id: "move-class", title: "Can I move my class to another day?", tags: ["reschedule", "swap class"], body: "Swap to a class on another weekday of the same level in your account, up to 24 hours before it starts." },
  { id: "placement-test", title: "Do you offer a placement test?", tags: ["level", "assessment"], body: "Yes: a free 20-minute online placement test tells you which level to book." },
  { id: "payment", title: "Which payment methods do you accept?", tags: ["payment", "card", "instalments"], body: "Card, PayPal and bank transfer; courses over 300 EUR can be paid in three instalments." },
  { id: "certificate", title: "Do I get a certificate?", tags: ["certificate", "diploma"], body: "Every course ends with a certificate of attendance; exam preparation courses also with a mock exam." },
  { id: "online-lessons", title: "Are there online lessons?", tags: ["online", "video"], body: "Every level runs online too, in small video groups of up to 8 learners." },
  { id: "school-address", title: "Where is the school?", tags: ["address", "location", "directions"], body: "Lindenstraße 4, second floor, five minutes from the main station." },
];

describe("knowledge search, round 4: contractions in customers' messages", () => {
  let database: Awaited<ReturnType<typeof openDatabase>>;
  let workspaceId: string;
  const ask = async (text: string) => {
    const found = await searchKnowledge(database.db, workspaceId, text, { limit: 2 });
    const [best] = found.hits;
    return { article: best?.article.externalId ?? null, confidence: best?.confidence ?? 0 };
  };
  const answers = async (text: string) => {
    const r = await ask(text);
    return r.confidence >= DEFAULT_MIN_CONFIDENCE ? r.article : null;
  };

  beforeAll(async () => {
    database = await openDatabase({ schema: "public", dataDir: "memory://" });
    const [ws] = await database.db.insert(workspaces).values({ name: "Lingo Loft" }).returning();
    const [admin] = await database.db.insert(users).values({ workspaceId: ws!.id, email: "admin@lingo.local", name: "Admin", role: "admin", passwordHash: "-" }).returning();
    workspaceId = ws!.id;
    const { drafts } = parseImport("json", [{ name: "kb.json", content: JSON.stringify(articles) }], "en");
    await importArticles({ db: database.db }, { workspaceId, userId: admin!.id, role: "admin" }, drafts);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("reads contractions as the words they stand for: the same answer, and as sure, as when spelled out", async () => {
    const spelledOut = await ask("We are new in town and we would like to visit first. Where is the school?");
    const contracted = await ask("We're new in town and we'd like to visit first. Where's the school?");
    expect(contracted.article).toBe("school-address");
    expect(contracted.confidence).toBeCloseTo(spelledOut.confidence, 2);
  });

  it("answers a chatty message whose contractions would otherwise count as words no article uses", async () => {
    expect(await answers("Hello, hope you're well! I've finished the A2 course and I'd love to know: do I get a certificate?")).toBe("certificate");
    expect(await answers("I'd love to join but I'm abroad a lot, we'd need online lessons, are there any?")).toBe("online-lessons");
    expect(await answers("It's my first course with you and I've heard there's a certificate, do I get one?")).toBe("certificate");
  });
});
