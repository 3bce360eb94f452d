import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "./context.js";
import { users, workspaces } from "./db/schema.js";
import { hashPassword } from "./auth/passwords.js";
import { randomToken } from "./domain/crypto.js";
import { createChannel } from "./domain/channels.js";
import { putBotConfig } from "../bots/bot-config.js";
import { DemoSocial, demoBotRules, markDemoChannel, seedDemoSocial } from "./demo-social.js";
import { seedDemoKnowledge } from "./demo-knowledge.js";

const SEED_LOCK = 7_245_002;

export type SeedResult = {
  created: boolean;
  adminEmail: string;
  generatedPassword?: string;
  demoChannel?: { id: string; secret: string };
  /** PARLEY_DEMO: the social demo channels, as written to demo-channel.json (also when no file is written). */
  demoSocial?: DemoSocial;
};

/** On an empty database: the workspace and its first admin, then (PARLEY_DEMO) the demo channels. */
export async function seed(ctx: Ctx): Promise<SeedResult> {
  const adminEmail = ctx.config.PARLEY_ADMIN_EMAIL;
  const password = ctx.config.PARLEY_ADMIN_PASSWORD ?? randomToken(12);
  const passwordHash = await hashPassword(password);
  const created = await ctx.db.transaction(async (tx) => {
    // Several server processes may start at once on an empty database: one seeds.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const [existing] = await tx.select({ id: workspaces.id }).from(workspaces).limit(1);
    if (existing) return null;
    const [ws] = await tx.insert(workspaces).values({ name: ctx.config.PARLEY_DEMO ? "Demo workspace" : "Parley" }).returning();
    const [admin] = await tx.insert(users).values({ workspaceId: ws!.id, email: adminEmail, name: "Admin", role: "admin", passwordHash }).returning();
    return { workspaceId: ws!.id, adminId: admin!.id };
  });
  if (!created) return { created: false, adminEmail };

  const result: SeedResult = { created: true, adminEmail, ...(ctx.config.PARLEY_ADMIN_PASSWORD ? {} : { generatedPassword: password }) };
  if (ctx.config.PARLEY_DEMO) {
    const scope = { workspaceId: created.workspaceId, userId: created.adminId, role: "admin" as const };
    const { row, generated } = await createChannel(ctx, scope, {
      platform: "api",
      name: "Demo API channel",
      botEnabled: true,
      config: { callbackUrl: `${ctx.config.publicUrl}/demo/callback` },
    });
    await markDemoChannel(ctx, row.id);
    await putBotConfig(ctx, scope, row.id, { rules: demoBotRules });
    await seedDemoKnowledge(ctx, scope);
    const secret = generated.secret!;
    result.demoChannel = { id: row.id, secret };
    result.demoSocial = await seedDemoSocial(ctx, scope);
    await writeDemoFile(ctx, { channelId: row.id, secret, social: result.demoSocial });
  }
  return result;
}

/** DATA_DIR/demo-channel.json, read by `npm run simulate`. `social` is absent in files written before it existed. */
export const DemoFile = z.object({ channelId: z.uuid(), secret: z.string(), url: z.string(), social: DemoSocial.optional() });

async function writeDemoFile(ctx: Ctx, demo: Omit<z.infer<typeof DemoFile>, "url">) {
  if (ctx.config.mode !== "embedded" || ctx.config.DATA_DIR === "memory://") return;
  mkdirSync(ctx.config.DATA_DIR, { recursive: true });
  const file = path.resolve(ctx.config.DATA_DIR, "demo-channel.json");
  const { social, ...api } = demo;
  writeFileSync(file, JSON.stringify({ ...api, url: ctx.config.publicUrl, social }, null, 2) + "\n", { mode: 0o600 });
}
