import { importArticles } from "../bots/knowledge/articles.js";
import type { ArticleDraft } from "../bots/knowledge/import-formats.js";
import type { Ctx } from "./context.js";
import type { Scope } from "./domain/scope.js";

const article = (externalId: string, title: string, body: string, tags: string[], language = "en"): ArticleDraft => ({ externalId, title, body, tags, language, enabled: true });

/** PARLEY_DEMO: a few knowledge articles, so the bot answers common questions with no model configured. */
export const demoArticles: ArticleDraft[] = [
  article("shipping-countries", "Which countries do you ship to?", "We ship to every EU country, the UK, Switzerland, the US and Canada. Delivery takes 3 to 5 working days in Europe and 5 to 10 working days overseas. Shipping is free on orders over 50 EUR.", ["shipping", "delivery", "countries"]),
  article("returns", "How do I return an item?", "You can return unworn items within 30 days. Start the return on the order page of your account, print the free label and drop the parcel at any post office. Refunds reach your original payment method within 5 working days of our receiving it.", ["returns", "refund"]),
  article("discount-codes", "Why does my discount code not work?", "Discount codes are valid once per customer, cannot be combined with sale prices and must be typed exactly, in capital letters. Codes from our newsletter expire after 14 days.", ["discount", "voucher", "code", "checkout"]),
  article("payment", "Which payment methods do you accept?", "We accept Visa, Mastercard, American Express, PayPal, Apple Pay and Klarna (pay in 30 days).", ["payment", "paypal", "klarna"]),
  article("restock", "When will a sold-out item be back?", "Most sold-out sizes come back within 4 weeks. Tap 'Notify me' on the product page and we email you the moment your size is in stock again.", ["stock", "sold out", "restock", "size"]),
  article("de-versand", "Wohin liefert ihr?", "Wir liefern in alle EU-Länder, nach Großbritannien, in die Schweiz, die USA und nach Kanada. Innerhalb Europas dauert die Lieferung 3 bis 5 Werktage. Ab 50 EUR Bestellwert ist der Versand kostenlos.", ["Versand", "Lieferung", "Länder"], "de"),
  article("de-ruecksendung", "Wie schicke ich etwas zurück?", "Ungetragene Artikel können Sie innerhalb von 30 Tagen zurückgeben: Rücksendung im Kundenkonto starten, kostenloses Etikett drucken und das Paket bei der Post abgeben.", ["Rücksendung", "Retoure", "Erstattung"], "de"),
];

export async function seedDemoKnowledge(ctx: Ctx, scope: Scope) {
  await importArticles(ctx, scope, demoArticles);
}
