import type { Platform } from "../../shared/schemas/common.js";
import { apiConnector } from "./api/api-connector.js";
import { googleReviewsConnector } from "./google-reviews/google-reviews-connector.js";
import { trustpilotConnector } from "./trustpilot/trustpilot-connector.js";
import { facebookConnector } from "./facebook/facebook-connector.js";
import { instagramConnector } from "./instagram/instagram-connector.js";
import { xConnector } from "./x/x-connector.js";
import { whatsappConnector } from "./whatsapp/whatsapp-connector.js";
import { telegramConnector } from "./telegram/telegram-connector.js";
import type { Connector } from "./types.js";

const connectors: Partial<Record<Platform, Connector<any, any>>> = {
  api: apiConnector,
  google_reviews: googleReviewsConnector,
  trustpilot: trustpilotConnector,
  facebook: facebookConnector,
  instagram: instagramConnector,
  x: xConnector,
  whatsapp: whatsappConnector,
  telegram: telegramConnector,
};

export function connectorFor(platform: Platform): Connector<any, any> {
  const c = connectors[platform];
  if (!c) throw new Error(`no connector for ${platform}`);
  return c;
}

export const availablePlatforms = () => Object.keys(connectors) as Platform[];
