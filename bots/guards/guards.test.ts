import { describe, expect, it } from "vitest";
import { detectLanguage } from "../language/detect-language.js";
import { inLoop, isAutoReply } from "./auto-reply.js";
import { isClosing } from "./closing.js";
import { checkNegative, negativityScore } from "./negative.js";
import { findPersonalData, personalDataInReply } from "./personal-data.js";
import { detectSensitive } from "./sensitive.js";

describe("sensitive topics", () => {
  const cases: Array<[string, string]> = [
    ["You charged me twice this month and I will dispute it with my bank", "paymentDispute"],
    ["You charged my credit card twice for the same night", "paymentDispute"],
    ["I am disputing the charge with my bank", "paymentDispute"],
    ["I want you to delete all the personal data you hold about me (GDPR)", "personalData"],
    ["My lawyer will contact you about this contract", "legal"],
    ["I'm going to do a chargeback with my credit card company", "paymentDispute"],
    ["Ich werde Sie verklagen", "legal"],
    ["Bitte löschen Sie alle meine Daten (DSGVO)", "personalData"],
    ["Sie haben mir zweimal abgebucht", "paymentDispute"],
    ["The stove caught fire and burned my hand", "safety"],
    ["one of your staff keeps sending me creepy messages", "harassment"],
    ["Cancel my order right now, your service is a disgrace", "angryCancellation"],
    ["Ich will kündigen, das ist eine Frechheit", "angryCancellation"],
    // Disputes raised with the bank, in any words.
    ["I've disputed it with my bank.", "paymentDispute"],
    ["I've asked my bank to reverse the 240 EUR payment", "paymentDispute"],
    ["You charged me 45 EUR for a ride I never took", "paymentDispute"],
    ["Ich habe meine Bank gebeten, die Zahlung zurückzuholen", "paymentDispute"],
    ["He pedido a mi banco que anule el cargo del pedido", "paymentDispute"],
    ["Me habéis cobrado el pedido dos veces", "paymentDispute"],
    ["J'ai demandé à ma banque un rejet de paiement", "paymentDispute"],
    ["Vous m'avez prélevé l'abonnement deux fois", "paymentDispute"],
    // Someone else using the account.
    ["Someone is using my account and booked three rides", "accountFraud"],
    ["my account has been hacked", "accountFraud"],
    ["Jemand nutzt mein Konto", "accountFraud"],
    ["Alguien está usando mi cuenta y me han cobrado tres viajes que no hice", "accountFraud"],
    ["Quelqu'un utilise mon compte", "accountFraud"],
    // Someone else took over the customer's phone number (a SIM swap).
    ["a stranger ported my number to another network last night, I have no signal", "accountFraud"],
    ["I didn't order a replacement sim but the app says one was activated today??", "accountFraud"],
    ["Jemand hat gestern im Laden eine Ersatz-SIM für meine Rufnummer bekommen", "accountFraud"],
    ["Yo no he solicitado ninguna tarjeta sim nueva y mi móvil ya no funciona", "accountFraud"],
    ["Quelqu'un a activé une carte sim sur mon numéro sans me demander", "accountFraud"],
    ["now somebody else is receiving my verification codes", "accountFraud"],
    // Unwanted personal contact from staff.
    ["the courier who delivered my modem keeps texting, it makes me feel uncomfortable", "harassment"],
    ["your installer has been calling me on my private number at night", "harassment"],
    ["one of your shop assistants keeps asking me out whenever I come in", "harassment"],
    ["Der Techniker ruft mich seitdem ständig privat an, ich fühle mich sehr unwohl", "harassment"],
    ["El técnico me escribe cada noche, me hace sentir muy incómoda", "harassment"],
    ["Votre technicien m'envoie des messages le soir, je suis mal à l'aise", "harassment"],
    // Safety.
    ["A guy from your crew followed me home. I'm scared to use it again.", "safety"],
    ["I don't feel safe in your store anymore", "safety"],
    ["One of your drivers shouted at me and I'm scared of him", "safety"],
    ["Ein Fahrer ist mir bis nach Hause gefolgt, ich habe Angst", "safety"],
    ["Un empleado me siguió hasta mi casa, tengo miedo", "safety"],
    ["Un livreur m'a suivie jusqu'à chez moi, j'ai peur", "safety"],
    ["a passenger kept touching my sister and then followed her to the exit, the staff did nothing", "safety"],
    // Cancellations with a grievance besides strong words.
    ["I want to cancel my monthly pass and get my money back, you keep charging me.", "angryCancellation"],
    ["Cancel my order. Third time you've sent the wrong colour, I'm done with you", "angryCancellation"],
    ["Quiero cancelar, estoy harta de vuestro servicio", "angryCancellation"],
  ];
  for (const [text, category] of cases) it(`${category}: ${text}`, () => expect(detectSensitive(text)?.category).toBe(category));

  const calm = [
    "I'm afraid I can't find the size chart",
    "I'm scared of heights, is the e-bike ok?",
    "I feel safe leaving the bike outside?",
    "Can I cancel my order right away and get my money back?",
    "Can I pay by bank transfer?",
    "These scooters are a menace, dumped all over our street. Terrible company.",
    "My account shows the wrong address, how do I change it?",
    "Our dog followed me into the shop, is that ok?",
    "I demand a proper answer about my delivery date",
    "¿Cuál es el consumo de batería del patinete?",
    "I lost my SIM, how do I get a new one?",
    "I haven't ordered a new SIM yet, how do I do it?",
    "my son got a new sim for his number, can he keep his plan?",
    "Can my partner get a second SIM on my account?",
    "the seats in your shop were really uncomfortable lol, anyway when do you open?",
    "jemand im Laden hat mir gesagt, ich kann meine Nummer mitnehmen",
    "Ich möchte eine neue SIM bestellen",
    "the agent in the shop asked me to text my account number to support, is that right?",
    "how can I cancel my plan", "Can I cancel my order?", "Wie kann ich kündigen?", "I forgot my password", "when is my bill due", "does the jacket fit a person of 190 cm"];
  for (const text of calm) it(`not sensitive: ${text}`, () => expect(detectSensitive(text)).toBeNull());
});

describe("negative reviews and comments", () => {
  it("1 and 2 star reviews are negative whatever they say; 3+ only when the text is", () => {
    expect(checkNegative("review", 2, "Fine.", 2).negative).toBe(true);
    expect(checkNegative("review", 4, "Good jackets, fair prices.", 2).negative).toBe(false);
    expect(checkNegative("review", 3, "Terrible service, never again", 2).negative).toBe(true);
  });
  it("clearly negative public comments and mentions are negative; DMs never", () => {
    expect(checkNegative("comment", null, "Worst shop ever, my boots fell apart after a week. Avoid!!", 2).negative).toBe(true);
    expect(checkNegative("comment", null, "absolute rubbish quality, total rip-off 😡", 2).negative).toBe(true);
    expect(checkNegative("mention", null, "your customer service is a joke, still no refund. Disgusting.", 2).negative).toBe(true);
    expect(checkNegative("comment", null, "Schlechte Qualität, nie wieder!", 2).negative).toBe(true);
    expect(checkNegative("comment", null, "nice 'premium service': the heating was broken the whole trip. do better", 2).negative).toBe(true);
    expect(checkNegative("dm", null, "Worst shop ever", 2).negative).toBe(false);
  });
  it("a question or mild remark in public is not negative", () => {
    expect(checkNegative("comment", null, "Is shipping free?", 2).negative).toBe(false);
    expect(checkNegative("comment", null, "the zip broke, is that covered by the warranty?", 2).negative).toBe(false);
    expect(negativityScore("do you do next day delivery?")).toBe(0);
  });
});

describe("personal data in public replies", () => {
  it("finds emails, phone numbers, order numbers, cards and IBANs", () => {
    const found = findPersonalData("Mail ana.b@example.com or call +49 30 1234 5678 about order #A12345, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00");
    expect(found.map((p) => p.kind).sort()).toEqual(["card_number", "email", "iban", "order_number", "phone"]);
  });
  it("leaves prices, dates, times and plain numbers alone", () => {
    expect(findPersonalData("Express costs 9.90 EUR, orders before 14:00 ship on 26 December; 30 days to return, 3-year warranty, 5G and 4G.")).toEqual([]);
  });
  it("allows what the cited articles publish", () => {
    expect(personalDataInReply("Call +49 30 1234 5678 at any hour.", ["Block your SIM by calling +49 30 1234 5678 at any hour."])).toEqual([]);
    expect(personalDataInReply("Your order 778812 ships today", ["Orders ship the same day."])).toHaveLength(1);
  });
});

describe("closing messages, auto-replies and loops", () => {
  it("recognises thanks and goodbyes, not questions", () => {
    for (const t of ["Thanks!", "thank you so much, that helped", "Perfect, thanks", "Danke, das war's", "vielen Dank für die schnelle Antwort", "merci beaucoup", "gracias"]) expect(isClosing(t), t).toBe(true);
    for (const t of ["thanks, but where is my order?", "thanks for nothing, I want a refund", "ok", "my order never arrived"]) expect(isClosing(t), t).toBe(false);
  });
  it("recognises automated replies", () => {
    expect(isAutoReply("Out of office: I am away until Monday")).toBe(true);
    expect(isAutoReply("Dies ist eine automatische Antwort")).toBe(true);
    expect(isAutoReply("Can I return my boots?")).toBe(false);
    expect(isAutoReply("I'm away until next Thursday - how long will you hold my click and collect order?")).toBe(false);
    expect(isAutoReply("I am currently away until 3 May with limited access to email.")).toBe(true);
    expect(isAutoReply("Automatic reply: are you looking for our opening hours? See our website.")).toBe(true);
    // A customer who mentions the automation while asking is answered, not ignored.
    expect(isAutoReply("@shop is there an actual human I can DM about my order? not the auto-reply please")).toBe(false);
    expect(isAutoReply("Your auto-reply said you open at 9, is that right?")).toBe(false);
  });
  it("counts bot replies in the cool-down window", () => {
    const now = new Date("2030-01-01T12:00:00Z");
    const ago = (s: number) => new Date(now.getTime() - s * 1000);
    expect(inLoop([ago(5), ago(10), ago(20)], now, 60, 3)).toBe(true);
    expect(inLoop([ago(5), ago(100), ago(200)], now, 60, 3)).toBe(false);
  });
});

describe("language detection", () => {
  it("recognises the languages with a pack", () => {
    expect(detectLanguage("Wie lange dauert der Versand nach Österreich?")).toEqual({ code: "de", confident: true });
    expect(detectLanguage("how long does the delivery to my house take?")).toEqual({ code: "en", confident: true });
    expect(detectLanguage("¿Cuánto tarda en llegar un pedido a Madrid?").code).toBe("es");
    expect(detectLanguage("Combien de temps pour la livraison en France ?").code).toBe("fr");
  });
  it("is not confident about very short messages", () => {
    expect(detectLanguage("AGENT").confident).toBe(false);
  });
});
