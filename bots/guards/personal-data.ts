export type PersonalData = { kind: "email" | "phone" | "order_number" | "iban" | "card_number"; value: string };

const email = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const iban = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
const phoneLike = /(?:\+|\b00)?\d[\d ()./-]{5,}\d/g;
const orderWords =
  /(?:order|order number|order no\.?|order nr\.?|bestellnummer|bestellung|auftragsnummer|auftrag|pedido|commande|n°|nr\.?|no\.|#)\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,})/giu;
const codeLike = /(?<![\p{L}\p{N}])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,}-?[A-Z0-9]{3,}(?![\p{L}\p{N}])/gu;

/**
 * Personal data a public reply must never show: email addresses, phone numbers, card numbers, IBANs
 * and order numbers (after "order", "#", "Bestellnummer"…, or codes mixing capitals and digits).
 */
export function findPersonalData(text: string): PersonalData[] {
  const found: PersonalData[] = [];
  for (const m of text.matchAll(email)) found.push({ kind: "email", value: m[0] });
  const withoutEmails = text.replace(email, " ");
  for (const m of withoutEmails.matchAll(iban)) found.push({ kind: "iban", value: m[0] });
  for (const m of withoutEmails.matchAll(phoneLike)) {
    const digits = m[0].replace(/\D/g, "");
    // Dates, prices and times have separators but fewer digits; 13 to 19 digits in a row are a card.
    if (digits.length >= 13 && digits.length <= 19 && /^[\d -]+$/.test(m[0])) found.push({ kind: "card_number", value: m[0].trim() });
    else if (digits.length >= 7 && digits.length <= 15 && !/^\d{4}-\d{2}-\d{2}$/.test(m[0])) found.push({ kind: "phone", value: m[0].trim() });
  }
  for (const m of withoutEmails.matchAll(orderWords)) {
    if (/\d/.test(m[1]!)) found.push({ kind: "order_number", value: m[1]! });
  }
  for (const m of withoutEmails.matchAll(codeLike)) found.push({ kind: "order_number", value: m[0] });
  const seen = new Set<string>();
  return found.filter((p) => !seen.has(p.value) && seen.add(p.value));
}

/**
 * The personal data in a public reply that did not come from the cited knowledge articles (a shop's
 * own published phone number is not personal data; the customer's order number is).
 */
export function personalDataInReply(reply: string, publishedTexts: string[]): PersonalData[] {
  const published = publishedTexts.join("\n");
  return findPersonalData(reply).filter((p) => !published.includes(p.value));
}
