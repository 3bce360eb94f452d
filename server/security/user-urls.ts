import { BadRequest } from "../domain/scope.js";
import type { TargetPolicy } from "./address-policy.js";
import { checkTargetNow } from "./guarded-fetch.js";

/**
 * Refuses, at the moment it is saved, any URL a user puts in settings (an API channel's callbackUrl,
 * and any later `…Url` field: every http(s) string value is checked) that points at a private target.
 * Sends are checked again at connect time; this only tells the admin at once.
 */
export async function assertAllowedUrls(values: Record<string, unknown> | undefined, policy: TargetPolicy): Promise<void> {
  for (const [key, value] of Object.entries(values ?? {})) {
    if (typeof value !== "string" || !/^https?:\/\//i.test(value.trim())) continue;
    const check = await checkTargetNow(value.trim(), policy);
    if (!check.ok) {
      throw new BadRequest(`${key}: ${check.reason}; Parley does not call private addresses unless ALLOW_PRIVATE_TARGETS=1 is set`, "target_not_allowed");
    }
  }
}
