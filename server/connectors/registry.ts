import type { Platform } from "../../shared/schemas/common.js";
import { apiConnector } from "./api/api-connector.js";
import type { Connector } from "./types.js";

const connectors: Record<Platform, Connector<any, any>> = { api: apiConnector };

export function connectorFor(platform: Platform): Connector<unknown, unknown> {
  return connectors[platform];
}
