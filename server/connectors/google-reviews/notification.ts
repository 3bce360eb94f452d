/**
 * The Pub/Sub push envelope and the Business Profile notification inside it (docs/platform-contracts.md §7.1, §7.2).
 * Google does not publish the decoded notification's exact fields, so both camelCase and snake_case
 * names, and the short `review`/`location` aliases, are accepted.
 */

export type PushEnvelope = { messageId: string; data: string; publishTime?: string };
export type GbpNotification = { notificationType: string; reviewName?: string; locationName?: string };

/** Reads the wrapped push body; returns a reason when it is not one. */
export function parseEnvelope(raw: string): PushEnvelope | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: "body is not valid JSON" };
  }
  const msg = (json as { message?: Record<string, unknown> } | null)?.message;
  if (!msg || typeof msg !== "object") return { error: "body is not a Pub/Sub push envelope (no message)" };
  const messageId = msg.messageId ?? msg.message_id;
  if (typeof messageId !== "string" || !messageId) return { error: "Pub/Sub message has no messageId" };
  if (typeof msg.data !== "string" || !msg.data) return { error: "Pub/Sub message has no data" };
  const publishTime = msg.publishTime ?? msg.publish_time;
  return { messageId, data: msg.data, publishTime: typeof publishTime === "string" ? publishTime : undefined };
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Decodes `message.data` (base64 JSON) into a notification; returns a reason when it is not one. */
export function decodeNotification(data: string): GbpNotification | { error: string } {
  if (!BASE64.test(data)) return { error: "message.data is not base64" };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, "base64").toString("utf8"));
  } catch {
    return { error: "message.data is not base64-encoded JSON" };
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) return { error: "message.data is not a JSON object" };
  const j = json as Record<string, unknown>;
  const str = (...keys: string[]) => {
    for (const k of keys) if (typeof j[k] === "string" && j[k]) return j[k] as string;
    return undefined;
  };
  const notificationType = str("notificationType", "notification_type", "type");
  if (!notificationType) return { error: "notification has no notificationType" };
  return {
    notificationType,
    reviewName: str("reviewName", "review_name", "review"),
    locationName: str("locationName", "location_name", "location"),
  };
}
