/**
 * Everything Parley needs to understand one language: to recognise it, to search articles written in
 * it, and to spot hand-off requests, sensitive topics, negative comments, thanks and auto-replies.
 * Lists are lower case; patterns are matched against the lower-cased message, so they need no `i`
 * flag. `{person}` in a request pattern stands for the `persons` alternatives. docs/bots.md says
 * how to add a language.
 */
export type LanguagePack = {
  /** ISO 639-1 code, as articles and settings name the language. */
  code: string;
  /** The PostgreSQL text-search configuration that stems this language (`select cfgname from pg_ts_config`). */
  tsConfig: string;
  /** Very common words, to recognise the language of a message. */
  stopwords: string[];
  /** Letters typical of the language (e.g. ß, ñ), a strong hint when detecting it. */
  letters?: string;
  /** Words that say nothing about the topic (please, hello, want, need…): ignored when matching articles. */
  fillerWords: string[];
  /**
   * Words and phrases that open a question or a request ("how", "can i", "tell me"): in a long
   * message, the sentences they open (and those ending in "?") say what the customer asks, and the
   * knowledge search weighs their words above greetings and background. Matched as whole words at the
   * start of a sentence, after any filler words ("Hi, so how do I…").
   */
  questionWords: string[];
  /** Groups of words customers use for the same thing (invoice, bill); matching one counts for the group. */
  synonyms: string[][];
  handoff: {
    /** Ways to name a person (agent, human, employee…): regex alternatives. */
    persons: string[];
    /** Request frames around a person: "talk to a {person}", "connect me with {person}". */
    requests: string[];
    /** "Not a bot" and the like: a request for a person on its own. */
    antiBot: string[];
    /** Words that may surround a bare person word in a short request ("human please", "AGENT!"). */
    politeness: string[];
  };
  /** Topics a person must handle. Each pattern is a regex source. */
  sensitive: {
    legal: string[];
    paymentDispute: string[];
    /** Someone else using the customer's account, a hacked account, identity theft. */
    accountFraud: string[];
    personalData: string[];
    safety: string[];
    harassment: string[];
    /** Cancellation words; sensitive only together with a complaint. */
    cancel: string[];
    /**
     * Signs of a grievance that make a cancellation sensitive besides the strong negative words:
     * repeated charges ("you keep charging me"), "I'm done with you", "third time". Not urgency
     * alone ("immediately"): "can I cancel right away?" is a plain question.
     */
    cancelComplaint: string[];
  };
  /** Clearly negative words: strong ones count double. Complaint words for angry cancellations are these too. */
  negative: { strong: string[]; mild: string[] };
  /**
   * A short message with one of the phrases and otherwise only extras ("thanks a lot, that helped")
   * closes the conversation: the bot resolves it.
   */
  closing: { phrases: string[]; extras: string[] };
  /** Signs of an automated reply (out of office, do not reply): the bot stays silent. */
  autoReply: string[];
};
