import type { LanguagePack } from "./types.js";

const art = "(?:(?:un|une|le|la|l'|quelqu'un de|votre|ton|un vrai|une vraie)\\s*)?";
const real = "(?:(?:vrai|vraie|véritable|réel|réelle|humain)\\s+)?";

export const fr: LanguagePack = {
  code: "fr",
  tsConfig: "french",
  stopwords: ["le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "je", "vous", "mon", "ma", "mes", "pour", "pas", "que", "qui", "en", "sur", "avec", "comment", "quand", "où", "combien", "quels", "quelle", "quel", "il", "ce", "au", "aux", "votre", "vos", "faire"],
  letters: "çàèêœ",
  fillerWords: ["bonjour", "salut", "bonsoir", "merci", "svp", "plaît", "voudrais", "veux", "besoin", "savoir", "aide", "question", "quelqu'un", "équipe", "madame", "monsieur", "puis", "peux", "peut", "pouvez", "pourriez", "pourrais", "faire", "fais", "fait", "comment", "quand", "où", "quel", "quelle", "quels", "quelles", "ai", "avez", "ont", "déjà", "encore", "maintenant", "aujourd'hui", "hier", "demain", "mon", "ma", "mes", "vous", "nous", "est-ce", "estce"],
  questionWords: ["que", "qu'est-ce", "quel", "quelle", "quels", "quelles", "comment", "quand", "où", "combien", "qui", "pourquoi", "est-ce", "est-ce que", "puis-je", "peut-on", "pouvez-vous", "pourriez-vous", "peux-tu", "y a-t-il", "avez-vous", "faut-il", "dites-moi", "je voudrais savoir", "j'aimerais savoir"],
  synonyms: [
    ["livraison", "expédition", "envoi", "colis"],
    ["retour", "retourner", "renvoyer", "rembourser", "remboursement"],
    ["délai", "délais", "temps", "combien de temps"],
    ["garantie", "réparation"],
    ["magasin", "boutique"],
  ],
  handoff: {
    persons: ["personnes?", "humains?", "conseill(?:er|ère|ers)", "agents?", "opérat(?:eur|rice)", "quelqu'un", "employés?", "service client", "support", "responsable"],
    requests: [
      `parler\\s+(?:à|a|avec)\\s+${art}${real}{person}`,
      `(?:mettez|mets|passez|passe|transférez)[- ]moi\\s+(?:en relation\\s+)?(?:avec|à)\\s+${art}${real}{person}`,
      `(?:je\\s+(?:veux|voudrais|souhaite|souhaiterais|demande)|puis-je\\s+(?:avoir|parler à))\\s+(?:parler\\s+(?:à|a|avec)\\s+)?${art}${real}{person}`,
    ],
    antiBot: ["pas\\s+(?:un|de|le|ce)\\s+(?:robot|bot|chatbot|machine)"],
    politeness: ["svp", "s'il", "vous", "plaît", "maintenant", "un", "une", "vrai", "je", "veux", "bonjour"],
  },
  sensitive: {
    legal: ["avocat\\p{L}*", "procès", "tribunal\\p{L}*", "poursuite\\p{L}*", "en justice", "plainte", "mise en demeure", "action en justice"],
    paymentDispute: ["rétrofacturation", "(?:débité|prélevé|facturé)\\s+deux fois", "double prélèvement", "opposition (?:bancaire|sur)", "contester le paiement"],
    personalData: ["rgpd", "données personnelles", "mes données", "supprimer mes données", "protection des données"],
    safety: ["bless\\p{L}*", "brûl\\p{L}*", "incendie", "explos\\p{L}*", "hôpital", "urgence\\p{L}*", "dangereu\\p{L}*", "suicid\\p{L}*"],
    harassment: ["harcèle\\p{L}*", "harcel\\p{L}*", "menac\\p{L}*", "insult\\p{L}*", "discrimin\\p{L}*", "racis\\p{L}*"],
    cancel: ["résili\\p{L}*", "annuler", "annulation"],
  },
  negative: {
    strong: ["arnaque\\p{L}*", "escroc\\p{L}*", "nul", "nulle", "honteu\\p{L}*", "horrible", "scandale\\p{L}*", "plus jamais", "inadmissible", "inacceptable", "catastroph\\p{L}*", "lamentable", "une blague", "à fuir"],
    mild: ["déçu\\p{L}*", "cassé\\p{L}*", "retard\\p{L}*", "lent\\p{L}*", "mauvais\\p{L}*", "mécontent\\p{L}*", "énervé\\p{L}*", "plainte\\p{L}*"],
  },
  closing: {
    phrases: ["merci", "merci beaucoup", "parfait", "au revoir", "c'est tout", "super merci", "génial"],
    extras: ["ok", "d'accord", "beaucoup", "bien", "pour", "l'information", "aide", "votre", "très", "oui", "bonne", "journée", "encore"],
  },
  autoReply: ["réponse automatique", "message automatique", "absent du bureau", "ne pas répondre"],
};
