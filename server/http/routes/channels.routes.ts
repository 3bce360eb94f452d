import {
  BotConfig,
  BotConfigInput,
  Channel,
  ChannelIdParams,
  ChannelList,
  CreateChannelRequest,
  CreatedChannel,
  UpdateChannelRequest,
} from "../../../shared/schemas/channels.js";
import type { Ctx } from "../../context.js";
import {
  createChannel,
  deliveryRates,
  withoutConnectionDetails,
  getChannelRow,
  listChannelRows,
  serializeChannel,
  updateChannel,
} from "../../domain/channels.js";
import { targetPolicyFor } from "../../connectors/runtime.js";
import { assertAllowedUrls } from "../../security/user-urls.js";
import { getBotConfig, putBotConfig } from "../../../bots/bot-config.js";
import { availablePlatforms } from "../../connectors/registry.js";
import { BadRequest } from "../../domain/scope.js";
import { admins, everyone, type RouteTable } from "../route.js";

export function channelRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/channels",
    summary: "Connected channels with their health (no secrets)",
    tag: "channels",
    access: everyone,
    response: ChannelList,
    async handler({ scope }) {
      const [rows, rates] = await Promise.all([listChannelRows(ctx.db, scope), deliveryRates(ctx.db, scope)]);
      const items = rows.map((r) => serializeChannel(ctx, r, rates.get(r.id) ?? 0));
      // Agents and supervisors see channels and their health, not how to connect them.
      return { items: scope.role === "admin" ? items : items.map(withoutConnectionDetails) };
    },
  });

  t.add({
    method: "post",
    path: "/channels",
    summary: "Connect a channel; the response shows its webhook secret once",
    tag: "channels",
    access: admins,
    body: CreateChannelRequest,
    response: CreatedChannel,
    status: 201,
    async handler({ body, scope }) {
      if (!availablePlatforms().includes(body.platform)) throw new BadRequest(`platform ${body.platform} is not available in this build`, "platform_unavailable");
      await assertAllowedUrls(body.config, targetPolicyFor(ctx.config));
      const { row, generated } = await createChannel(ctx, scope, body);
      const channel = serializeChannel(ctx, row);
      const webhookUrl = generated.webhookToken ? channel.webhookUrl.replace("{webhookToken}", generated.webhookToken) : channel.webhookUrl;
      // The API channel's contract: its generated secret is returned once, as config.secret.
      const config = body.platform === "api" ? { ...channel.config, secret: generated.secret ?? body.config.secret } : channel.config;
      return { ...channel, webhookUrl, config, generated };
    },
  });

  t.add({
    method: "patch",
    path: "/channels/:id",
    summary: "Rename, switch the bot, change the callback URL or rotate the secret",
    tag: "channels",
    access: admins,
    params: ChannelIdParams,
    body: UpdateChannelRequest,
    response: Channel,
    async handler({ params, body, scope }) {
      if (body.config) await assertAllowedUrls(body.config, targetPolicyFor(ctx.config, await getChannelRow(ctx.db, scope, params.id)));
      return serializeChannel(ctx, await updateChannel(ctx, scope, params.id, body));
    },
  });

  t.add({
    method: "get",
    path: "/channels/:id/bot",
    summary: "The channel's bot: hand-off settings, rules, the pipeline (guardrails → rules → knowledge → LLM) and what applies to each conversation kind",
    tag: "bots",
    access: admins,
    params: ChannelIdParams,
    response: BotConfig,
    handler: ({ params, scope }) => getBotConfig(ctx, scope, params.id),
  });

  t.add({
    method: "put",
    path: "/channels/:id/bot",
    summary: "Change the bot: settings fields, the whole rule list, pipeline stages and per-kind overrides (what is left out stays)",
    tag: "bots",
    access: admins,
    params: ChannelIdParams,
    body: BotConfigInput,
    response: BotConfig,
    handler: ({ params, body, scope }) => putBotConfig(ctx, scope, params.id, body),
  });
}
