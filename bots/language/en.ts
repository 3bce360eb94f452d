import type { LanguagePack } from "./types.js";

const art = "(?:(?:a|an|the|some|your|one of your|a real|a live|someone from your|somebody from your)\\s+)?";
const real = "(?:(?:real|live|actual|human|proper|physical)\\s+)?";
/** Softeners between who and what: "can someone just ring me", "could you please quickly call me". */
const softly = "(?:(?:please|pls|plz|just|quickly|kindly|maybe|possibly|actually|simply|finally)\\s+){0,2}";

export const en: LanguagePack = {
  code: "en",
  tsConfig: "english",
  stopwords: ["the", "and", "is", "are", "you", "your", "my", "i", "it", "to", "of", "for", "what", "how", "can", "do", "does", "with", "in", "on", "this", "that", "when", "where", "have", "will", "me", "a", "an", "please", "there", "be", "not", "why", "get", "we", "if", "at"],
  fillerWords: ["please", "pls", "plz", "hi", "hello", "hey", "thanks", "thank", "thx", "want", "wanted", "need", "needs", "would", "like", "know", "tell", "help", "question", "quick", "anyone", "someone", "guys", "team", "hiya", "morning", "afternoon", "evening", "dear", "sir", "madam", "possible", "still", "just", "also", "really", "ok", "okay", "yes", "yeah", "get", "got", "getting", "go", "going", "make", "ever", "anything", "something", "thing", "things", "work", "works", "happen", "happens", "able", "way", "much", "many", "long", "soon", "often", "wait", "waiting", "still", "could", "may", "might", "must", "shall", "let", "see", "look", "looking", "find", "give", "take", "put", "use", "using", "try", "trying", "tried", "keep", "seem", "seems", "come", "comes", "say", "says", "said", "show", "shows", "showing", "actually", "already", "yet", "now", "today", "yesterday", "tomorrow", "right", "maybe", "perhaps", "exactly", "usually", "even", "always", "never", "sometimes", "anyway", "there", "here", "lot", "bit", "kind", "sort", "pretty", "quite", "folks", "u", "ur", "im", "ive", "dont", "cant", "hasnt", "havent", "isnt", "doesnt", "didnt", "wont", "one", "ones", "stuff", "etc", "guess", "wondering", "wonder", "curious", "hoping", "hope", "sure"],
  questionWords: ["what", "what's", "whats", "how", "how's", "when", "where", "which", "who", "whom", "whose", "why", "can", "could", "do", "does", "did", "is", "are", "was", "will", "would", "should", "shall", "may", "have", "has", "am", "tell me", "let me know", "explain", "i'd like to know", "i would like to know", "i want to know", "i was wondering", "i'm wondering", "wondering", "any idea", "is there", "are there", "any chance"],
  synonyms: [
    ["invoice", "bill", "receipt"],
    ["package", "parcel", "shipment"],
    ["postage", "shipping", "delivery"],
    ["ship", "deliver", "send"],
    ["refund", "money back", "reimburse"],
    ["guarantee", "warranty"],
    ["voucher", "gift card", "gift certificate", "coupon"],
    ["buy", "purchase", "sell"],
    ["present", "gift"],
    ["shop", "store", "branch"],
    ["zip", "zipper"],
    ["return", "send back"],
    ["cancel", "cancellation", "terminate"],
    ["unsubscribe", "opt out", "stop getting", "stop sending"],
    ["login", "log in", "sign in"],
    ["password", "passcode"],
    ["wash", "clean", "care"],
    ["waterproof", "water repellent", "rain proof"],
    ["size", "sizing", "fit"],
    ["pay", "payment"],
    ["price", "cost", "fee", "charge", "how much"],
    ["open", "opening hours", "hours"],
    ["track", "tracking", "trace"],
    ["sim", "sim card"],
  ],
  handoff: {
    persons: [
      "agents?", "humans?", "human beings?", "persons?", "people", "representatives?", "reps?", "operators?",
      "someone", "somebody", "anyone", "anybody", "staff", "staff members?", "employees?", "team members?",
      "customer service", "customer support", "customer care", "support", "support team", "service team", "helpdesk",
      "managers?", "supervisors?", "advisors?", "advisers?", "consultants?", "live chat", "live agents?",
    ],
    requests: [
      // "speak with the studio manager", "talk to your store manager": one word may name which person.
      `(?:talk|speak|chat|communicate|get through)\\s+(?:to|with)\\s+${art}${real}(?:\\p{L}+\\s+)?{person}`,
      `(?:connect|transfer|put|pass|forward|escalate|redirect|switch)\\s+(?:me|us|this)\\s+(?:through\\s+|over\\s+|on\\s+)?(?:to|with)\\s+${art}${real}{person}`,
      `(?:i\\s+(?:want|need|would like|'d like|demand|prefer|insist on)|can i\\s+(?:get|have|please have|please get)|could i\\s+(?:get|have)|may i\\s+(?:get|have)|get me|give me|let me have|i'm asking for|i am asking for)\\s+(?:to\\s+(?:talk|speak|chat)\\s+(?:to|with)\\s+)?${art}${real}{person}`,
      `(?:is there|are there|is there not|isn't there)\\s+(?:a|an|any)\\s+${real}{person}`,
      `(?:can|could|would|will)\\s+(?:someone|somebody|a person|a human|an agent|anyone)\\s+(?:from|at|in)\\s+(?:your\\s+|the\\s+)?(?:team|support|staff|customer service|company)\\s+${softly}(?:dm|message|call|ring|phone|text|contact|help|email|reach out to|get back to)`,
      `(?:someone|somebody|a person|a human|an agent)\\s+${softly}(?:call|ring|phone|contact|dm|message)\\s+me`,
      // "I'd like someone from your team to call me back", "can a real human from your team DM me":
      // a person, optionally "from your team", who should contact the customer.
      `(?:i\\s*(?:want|need|would like|'d like|would love|'d love|would appreciate it if|'d appreciate it if|'d prefer|would prefer)|can|could|would|will|please\\s+(?:have|get|let))\\s+${art}${real}{person}\\s+(?:(?:from|at|in|of|on)\\s+(?:your|the|ur)\\s+(?:[\\p{L}-]+\\s+)?(?:team|company|support|staff|office|side|end|crew|service)\\s+)?(?:to\\s+)?${softly}(?:call|ring|phone|dm|message|text|email|e-mail|contact|reach out to|get back to|get in touch with)\\s+(?:me|us)`,
      // A call back is always a person's job: "call me back", "can I get a callback", "please give me a call".
      "(?:call|ring|phone)\\s+(?:me|us)\\s+back",
      "(?:request(?:ing)?|want|need|like|arrange|get|book|schedule|have|for)\\s+(?:a\\s+)?(?:call[- ]?back|call back|return call)",
      `(?:please|pls|can you|could you|would you|can someone|could someone|can somebody|could somebody)\\s+${softly}(?:give me a (?:call|ring)|call me|ring me|phone me)`,
    ],
    antiBot: [
      "(?:the|this|your)\\s+(?:bot|chatbot|robot)\\s+(?:doesn'?t|does not|can'?t|cannot|won'?t)\\s+(?:understand|help)",
      "(?:not|no|stop)\\s+(?:talking to\\s+)?(?:a|the|this|your)?\\s*(?:bot|robot|chatbot|machine|automated (?:reply|answer|system))",
      "(?:don't|do not|dont)\\s+want\\s+(?:to\\s+(?:talk|speak|chat)\\s+(?:to|with)\\s+)?(?:a|the|this|your)?\\s*(?:bot|robot|chatbot|machine|ai)",
      "(?:i hate|enough of)\\s+(?:this|the|your)?\\s*(?:bot|robot|chatbot)",
    ],
    politeness: ["please", "pls", "plz", "now", "asap", "a", "an", "the", "real", "live", "actual", "i", "need", "want", "an", "urgently", "talk", "speak", "to", "with", "me", "get", "hello", "hi"],
  },
  sensitive: {
    legal: ["lawyers?", "attorneys?", "solicitors?", "legal action", "legal steps", "take (?:you|this) to court", "courts?", "su(?:e|ing)(?: you)?", "lawsuits?", "small claims", "trading standards", "consumer protection", "ombudsman", "report you to", "legal department", "my rights"],
    paymentDispute: [
      "charge ?backs?", "disput(?:e|ed|ing)\\s+(?:the|a|this|my|your)?\\s*(?:charge|payment|transaction|debit)", "dispute (?:it|this) with my (?:bank|card)", "(?:charged|billed|debited)\\s+(?:me\\s+|(?:my|our)\\s+(?:credit\\s+|debit\\s+)?(?:card|account)\\s+)?(?:twice|two times|double)",
      "double (?:charged|billed|charge)", "(?:fraudulent|unauthori[sz]ed)\\s+(?:charge|payment|transaction|debit)s?", "reverse (?:the|this|my) (?:charge|payment)", "(?:with|to) my (?:bank|credit card company|card issuer) (?:to )?(?:dispute|reverse|claim)",
      "disputed the payment", "stolen (?:card|credit card)",
      // "I've disputed it with my bank", "I've asked my bank to reverse the payment", "opened a claim with PayPal".
      "(?:disput\\p{L}*|contest\\p{L}*|challeng\\p{L}*|revers\\p{L}*|reclaim\\p{L}*|claw\\p{L}* back)\\s+(?:[\\p{L}\\p{N}]+\\s+){0,5}(?:with|through|via|at)\\s+(?:my|our)\\s+(?:bank|card|credit card|card issuer|card company|credit card company|paypal)",
      "(?:asked|told|contacted|called|instructed|ask|tell|contact|call|instruct|getting|get)\\s+(?:my|our)\\s+(?:bank|card issuer|credit card company|card company|paypal)\\s+(?:to\\s+)?(?:reverse|cancel|stop|block|dispute|refund|recall|return|claw|get)",
      "(?:opened|filed|raised|started|open|file|raise|start)\\s+(?:a\\s+)?(?:dispute|claim|case|complaint)\\s+(?:with|at|through)\\s+(?:my\\s+|our\\s+)?(?:bank|card issuer|credit card company|paypal)",
      // "You charged me 45 EUR for a ride I never took."
      "(?:charged|billed|debited|took)\\s+(?:me\\s+|my\\s+(?:card|account)\\s+)?(?:[\\p{L}\\p{N}.,]+\\s+){0,6}(?:i|we)\\s+(?:never|didn't|did not|have not|haven't)\\s+(?:took|take|taken|made|make|order|ordered|authori[sz]e|authori[sz]ed|use|used|book|booked|buy|bought|do|did|done|ride|rode|ridden|receive|received)",
    ],
    accountFraud: [
      "(?:someone|somebody|some one|a stranger|another person|someone else|somebody else)\\s+(?:is|has|had|was|'s)?\\s*(?:been\\s+)?(?:using|used|accessing|accessed|logged into|logging into|hacked|hacking|taken over|took over|got into|get into)\\s+(?:my|our)\\s+(?:account|profile|card|login)",
      "(?:my|our)\\s+(?:account|profile|login)\\s+(?:has been|was|got|is|have been|'s been)\\s+(?:hacked|compromised|stolen|taken over|hijacked)",
      "(?:hacked|compromised|hijacked)\\s+(?:my|our)\\s+(?:account|profile)", "identity theft",
      // SIM swaps: "someone got a new SIM for my number", "a stranger ported my number", "I never asked for a new SIM".
      "(?:someone|somebody|a stranger|someone else|somebody else|another person)\\s+(?:\\p{L}+\\s+){0,2}(?:got|get|gets|ordered|activated|requested|took|stole|ported|swapped|transferred|hijacked)\\s+(?:\\p{L}+\\s+){0,3}(?:for|of|on|to|from|with|off)?\\s*(?:my|our)\\s+(?:phone\\s+|mobile\\s+)?(?:number|sim|line|account)",
      "(?:i|we)\\s+(?:never|didn't|did not|never ever)\\s+(?:ask(?:ed)? for|order(?:ed)?|request(?:ed)?|authori[sz]e(?:d)?|appl(?:y|ied) for|agree(?:d)? to)\\s+(?:a|any|this|that|the|these|those)?\\s*(?:new\\s+|second\\s+|replacement\\s+)?(?:e?sim|sim cards?|sims|number transfer|port(?:ing)?|contract|line)",
      "sim[- ]?swap\\p{L}*", "(?:getting|receiving|received|gets|got)\\s+my\\s+(?:bank|banking|verification|security|login|2fa|one-time)\\s+(?:codes?|texts?|sms|messages?)", "(?:stole|stolen)\\s+my\\s+identity",
    ],
    personalData: ["gdpr", "data protection", "personal data", "personal information", "(?:delete|erase|remove)\\s+(?:all\\s+)?(?:of\\s+)?(?:my|the)\\s+(?:personal\\s+)?(?:data|information|details)", "right to (?:be forgotten|erasure|access)", "subject access request", "what (?:data|information) (?:do )?you (?:have|hold|store|keep)", "data (?:you|u) (?:store|hold|keep|have)", "data (?:deletion|access) request"],
    safety: ["caught fire", "on fire", "burn(?:ed|t) (?:my|me|myself|him|her|his|our)", "injur\\p{L}*", "hurt (?:me|my|myself|him|her|us)", "explod\\p{L}*", "exploded", "hospital", "emergency", "suicid\\p{L}*", "kill (?:myself|me|you)", "self[- ]harm", "unsafe", "dangerous", "electric shock", "allergic reaction", "poison\\p{L}*", "threat to (?:my|our) (?:life|safety)",
      // "a guy from your crew followed me home… I'm scared"
      "(?:grabbed|attacked|assaulted|cornered|groped|punched|hit|touched)\\s+(?:me|her|him|us|my\\s+(?:wife|husband|partner|daughter|son|kids?|child|girlfriend|boyfriend|friend))", "(?:kept|keeps|was|were|started|been)\\s+touching\\s+(?:me|her|him|us|my)", "(?:followed|chased|stalked)\\s+(?:me|her|him|us|my\\s+(?:wife|husband|partner|daughter|son|kids?|child|girlfriend|boyfriend|friend))\\s+(?:home|to|all the way|down|around|back|after|for)",
      "(?:i'm|i am|i was|i feel|i felt|we are|we're|we feel)\\s+(?:really\\s+|so\\s+|very\\s+|genuinely\\s+)?(?:scared|frightened|terrified)(?:\\s+(?:to|for)|\\s+of\\s+(?:him|her|them|that (?:man|guy|woman)|your (?:staff|driver|employee|crew)\\p{L}*)|[.!]|$)",
      "(?:don't|do not|didn't|did not|no longer|never|not)\\s+feel(?:ing)?\\s+safe", "afraid for my (?:life|safety)", "fear for my (?:life|safety)",
    ],
    harassment: ["harass\\p{L}*", "stalk\\p{L}*", "threaten\\p{L}*", "creepy", "abus(?:e|ive)", "bully\\p{L}*", "sexual\\p{L}*", "won't (?:leave me alone|stop)", "keeps? (?:messaging|texting|calling|sending|following) me",
      // Unwanted contact: "he has been texting me on my personal number, late at night… it makes me uncomfortable".
      "(?:makes?|making|made)\\s+me\\s+(?:feel\\s+)?(?:really\\s+|so\\s+|very\\s+|quite\\s+|extremely\\s+|super\\s+)?uncomfortable",
      "(?:texting|messaging|calling|contacting|ringing|whatsapping)\\s+me\\s+(?:\\p{L}+\\s+){0,3}(?:on|at)\\s+my\\s+(?:personal|private|own)\\s+(?:number|phone|mobile|cell)",
      "(?:asking|asked|asks|keeps asking)\\s+(?:me\\s+)?(?:out|for a date|to meet up|to go out)", "discriminat\\p{L}*", "racis[tm]\\p{L}*", "insult\\p{L}*"],
    cancel: ["cancel\\p{L}*", "terminat\\p{L}*", "close my account", "end my contract", "quit"],
    cancelComplaint: ["keep (?:on )?charging", "keeps? (?:on )?(?:charging|billing|taking)", "still charg\\p{L}*", "every (?:single )?(?:cent|penny)", "(?:i'm|i am) done with (?:you|your)", "(?:third|fourth|fifth|umpteenth|\\p{N}+(?:rd|th)) time", "had enough", "sick and tired"],
  },
  negative: {
    strong: ["worst", "scam\\p{L}*", "rip[- ]?off", "rubbish", "garbage", "trash", "terrible", "awful", "horrible", "horrendous", "disgust\\p{L}*", "disgrace\\p{L}*", "pathetic", "useless", "avoid", "fraud\\p{L}*", "is a joke", "a joke", "never again", "never buying", "never ordering", "fell apart", "waste of money", "do not buy", "don't buy", "shameful", "shame on you", "unacceptable", "appalling", "atrocious", "furious", "ridiculous", "nothing more to do with you", "fed up", "sick of", "crap", "shit\\p{L}*", "sucks?", "clowns"],
    mild: ["disappoint\\p{L}*", "do better", "broke", "broken", "leak\\p{L}*", "late", "slow", "never arrived", "never answered", "never got", "still no", "bad", "poor", "annoy\\p{L}*", "frustrat\\p{L}*", "not happy", "unhappy", "angry", "complain\\p{L}*", "overpriced", "cheap quality", "low quality", "fake", "not impressed"],
  },
  closing: {
    phrases: ["thanks", "thank you", "thank u", "thankyou", "thx", "ty", "cheers", "perfect", "that's all", "thats all", "that is all", "that helped", "that helps", "all good", "got it", "bye", "goodbye", "bye bye", "much appreciated", "appreciate it", "solved", "sorted", "brilliant", "awesome"],
    extras: ["great", "ok", "okay", "super", "nice", "cool", "many", "so", "much", "very", "a", "lot", "you", "helpful", "that", "was", "it", "is", "all", "i", "have", "everything", "need", "for", "the", "help", "answer", "info", "information", "again", "and", "have a nice day", "have a good day", "oh", "ah", "yes", "yeah", "perfect", "works", "worked"],
  },
  autoReply: ["out of (?:the )?office", "auto[- ]?reply", "automatic reply", "automated (?:message|response|reply)", "this is an automated", "do not reply to this", "please do not reply", "i am currently away", "i'm currently away", "i am away until", "i'm away until", "on leave until", "no-?reply"],
};
