import type { z } from "zod";
import { ChannelConfigs, type ChannelPlatform } from "../../../shared/schemas/index.js";

export type FieldKind = "text" | "secret" | "boolean" | "templates" | "url" | "email";

/** One input of a platform's connection form, read from its config schema in channel-config.ts. */
export interface ConfigField {
  name: string;
  kind: FieldKind;
  label: string;
  hint: string | null;
  required: boolean;
  /** Parley makes one when the admin leaves it empty. */
  generated: boolean;
  /** Rarely needed (e.g. pointing the channel at a local fake platform): shown under "Advanced". */
  advanced: boolean;
  defaultValue: boolean | null;
}

/**
 * Which config fields are credentials: typed into password inputs, never shown again. The server's
 * connectors name the same ones (the `secrets` of a Channel); this is for the form before creation.
 */
const secretNames = new Set(["secret", "appSecret", "accessToken", "consumerSecret", "botToken", "secretToken", "webhookToken"]);
const generatedNames = new Set(["secret", "secretToken", "webhookToken"]);

const labels: Record<string, string> = {
  secret: "Signing secret",
  callbackUrl: "Callback URL",
  pageId: "Page ID",
  igUserId: "Instagram account ID",
  phoneNumberId: "Phone number ID",
  userId: "X user ID",
  accountId: "Account ID",
  locationId: "Location ID",
  businessUnitId: "Business unit ID",
  businessUserId: "Business user ID",
  appSecret: "App secret",
  verifyToken: "Verify token",
  accessToken: "Access token",
  consumerSecret: "Consumer secret",
  botToken: "Bot token",
  secretToken: "Secret token",
  webhookToken: "Webhook token",
  humanAgentTag: "Human-agent replies for 7 days",
  selfServe: "Self-serve X plan",
  templates: "Message templates",
  pushAudience: "Push audience",
  pushServiceAccount: "Push service account",
  apiBaseUrl: "API base URL",
};

const hints: Record<string, string> = {
  secret: "Leave empty and Parley generates one.",
  callbackUrl: "Where Parley sends replies; optional.",
  verifyToken: "Any text of 8 or more characters; type the same into the app's webhook settings.",
  accessToken: "A long-lived token with permission to read and reply.",
  botToken: "From @BotFather, e.g. 123456:ABC…",
  secretToken: "Leave empty and Parley generates one.",
  webhookToken: "Leave empty and Parley generates one.",
  selfServe: "Self-serve plans may only reply to posts that mention the account.",
  templates: "Approved templates agents may send after the 24-hour window has closed.",
  pushAudience: "When set, pushes must carry a Google-signed token for this audience.",
};

export const fieldLabel = (name: string): string => labels[name] ?? name;

type AnySchema = z.ZodType & { def: { type: string; innerType?: AnySchema; format?: string } };

function innermost(schema: AnySchema): AnySchema {
  let s = schema;
  while (s.def.innerType) s = s.def.innerType;
  return s;
}

function kindOf(name: string, schema: AnySchema): FieldKind {
  const inner = innermost(schema);
  if (inner.def.type === "boolean") return "boolean";
  if (inner.def.type === "array") return "templates";
  if (secretNames.has(name)) return "secret";
  if (inner.def.format === "url") return "url";
  if (inner.def.format === "email") return "email";
  return "text";
}

/** The form fields for connecting a platform, in the schema's order. */
export function configFields(platform: ChannelPlatform): ConfigField[] {
  const shape = ChannelConfigs[platform].shape as Record<string, AnySchema>;
  return Object.entries(shape).map(([name, schema]) => {
    const optional = schema.safeParse(undefined).success;
    const kind = kindOf(name, schema);
    const description = schema.description ?? innermost(schema).description ?? null;
    return {
      name,
      kind,
      label: name === "accessToken" && platform === "facebook" ? "Page access token" : fieldLabel(name),
      hint: hints[name] ?? description,
      required: !optional,
      generated: generatedNames.has(name),
      advanced: name === "apiBaseUrl",
      defaultValue: kind === "boolean" ? Boolean(schema.parse(undefined)) : null,
    };
  });
}
