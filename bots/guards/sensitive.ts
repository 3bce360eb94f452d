import { findAny, normalizeText } from "../language/compile.js";
import { languagePacks } from "../language/index.js";
import { negativityScore } from "./negative.js";

export const sensitiveCategories = ["legal", "paymentDispute", "accountFraud", "personalData", "safety", "harassment", "angryCancellation"] as const;
export type SensitiveCategory = (typeof sensitiveCategories)[number];
export type SensitiveTopic = { category: SensitiveCategory; language: string; match: string };

const categoryWords: Record<SensitiveCategory, string> = {
  legal: "a legal threat",
  paymentDispute: "a payment dispute",
  accountFraud: "account misuse or fraud",
  personalData: "a personal-data request",
  safety: "a safety issue",
  harassment: "harassment",
  angryCancellation: "a cancellation with a complaint",
};
export const describeSensitive = (c: SensitiveCategory) => categoryWords[c];

/**
 * Topics a person must handle: legal threats, payment disputes and chargebacks, personal-data
 * requests, someone else using the customer's account, safety, harassment, and cancellations
 * together with a complaint ("cancel my order, your service is a disgrace", "cancel my pass
 * immediately, you keep charging me"). A plain "how do I cancel my plan?" is not sensitive.
 */
export function detectSensitive(text: string): SensitiveTopic | null {
  const t = normalizeText(text);
  for (const pack of languagePacks) {
    const s = pack.sensitive;
    for (const category of ["legal", "accountFraud", "paymentDispute", "personalData", "safety", "harassment"] as const) {
      const match = findAny(t, s[category]);
      if (match) return { category, language: pack.code, match };
    }
  }
  for (const pack of languagePacks) {
    const cancel = findAny(t, pack.sensitive.cancel);
    if (!cancel) continue;
    // A complaint: a strong negative word, a grievance ("you keep charging me", "I'm done with
    // you") or several milder signs ("late", "broken", "!!"). Urgency alone ("immediately", "right
    // now") is not one: "can I cancel right away?" is a plain question.
    const complaint =
      languagePacks.map((p) => findAny(t, p.negative.strong) ?? findAny(t, p.sensitive.cancelComplaint)).find(Boolean) ??
      (negativityScore(text) >= 2 ? "(several complaints)" : null);
    if (complaint) return { category: "angryCancellation", language: pack.code, match: `${cancel} … ${complaint}` };
  }
  return null;
}
