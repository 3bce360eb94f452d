import type { Platform } from "../../shared/schemas/common.js";
import { apiConnector } from "./api/api-connector.js";
import type { Connector } from "./types.js";

const connectors: Partial<Record<Platform, Connector<any, any>>> = {
  api: apiConnector,
};

export function connectorFor(platform: Platform): Connector<any, any> {
  const c = connectors[platform];
  if (!c) throw new Error(`no connector for ${platform}`);
  return c;
}

export const availablePlatforms = () => Object.keys(connectors) as Platform[];
