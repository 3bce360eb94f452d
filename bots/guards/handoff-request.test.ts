import { describe, expect, it } from "vitest";
import { detectHandoffRequest } from "./handoff-request.js";

describe("hand-off request detection", () => {
  const requests = [
    "Can I talk to a real person please",
    "put me through to an agent",
    "Bitte einen Mitarbeiter, kein Bot!",
    "I want to speak to a human",
    "connect me with customer service please",
    "AGENT",
    "human please",
    "real person!!",
    "are you a bot? get me a human",
    "I don't want to talk to a bot",
    "Is there a real person I can chat with?",
    "@shop can someone from support DM me?",
    "Kann ich mit einem echten Menschen sprechen?",
    "Ich möchte mit einem Mitarbeiter sprechen",
    "Verbinden Sie mich bitte mit dem Kundenservice",
    "Mitarbeiter bitte",
    "Quiero hablar con una persona",
    "Je voudrais parler à un conseiller",
    "I’d like to speak with someone from your team",
    "I want to speak with the studio manager",
    "Can I talk to your store manager?",
    // Asking to be called or contacted by a person.
    "Hi, I'd like someone from your team to call me back about a bulk order",
    "could someone from your support team email me please",
    "@brand can a real human from your team DM me",
    "Please call me back on Monday",
    "Can I get a callback tomorrow morning?",
    "Kann mich bitte ein Mensch zurückrufen?",
    "Ich hätte gern einen Rückruf von jemandem aus dem Kundenservice.",
    "Bitte um Rückruf, danke",
    "Rufen Sie mich bitte zurück",
    "Kann ich mit einer Person sprechen?",
    "¿Me pueden llamar, por favor?",
    "Quiero que alguien me llame hoy",
    "Pouvez-vous me rappeler demain ?",
    // A request as a sentence of its own inside a longer message, and frustration with the bot.
    "Bitte einen Mitarbeiter. Der Bot versteht mich nicht.",
    "hello? this bot doesn't understand anything I write",
    "¿Me puede atender una persona, por favor?",
    "Le bot ne comprend rien à ma question",
    "J'aimerais qu'un conseiller me rappelle",
    // Softeners between the person and the call.
    "can somebody from your support team just phone me, the app keeps failing",
    "could you please quickly ring me on the number in my account",
  ];
  for (const text of requests) it(`asks for a person: ${text}`, () => expect(detectHandoffRequest(text)).not.toBeNull());

  const notRequests = [
    "my delivery agent left the parcel outside",
    "The delivery agent left my parcel outside and now it's gone",
    "my travel agent booked the wrong dates",
    "the agent on the phone told me it ships on monday",
    "Is this jacket suitable for a person who is 190 cm tall?",
    "how many people can sleep in the tent?",
    "Der Mitarbeiter im Laden war sehr freundlich",
    "are you a bot?",
    "Does the human resources department have an email?",
    "I spoke to someone yesterday about my refund",
    "the courier called me twice but I was out",
    "I got a phone call from someone claiming to be you",
    "my agent will call me when the parcel arrives",
    "Je n'arrive pas à me rappeler mon mot de passe",
    "Gibt es einen Rückruf für die Jacke wegen des Reißverschlusses?",
    "Great team! When do you open on Sunday?",
    "Your support team was lovely. How do I change my address?",
    "Der Bot hat mir super geholfen, danke!",
    "just call me Sam, no need for the formal stuff. Is roaming included?",
  ];
  for (const text of notRequests) it(`is no request: ${text}`, () => expect(detectHandoffRequest(text)).toBeNull());

  it("matches a channel's extra phrases as whole words", () => {
    expect(detectHandoffRequest("I need an escalation now", ["escalation"])).toMatchObject({ how: "phrase" });
    expect(detectHandoffRequest("my escalations fail", ["escalation"])).toBeNull();
  });
});
