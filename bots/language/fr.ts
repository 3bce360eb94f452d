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
      // "Pouvez-vous me rappeler ?", "j'aimerais qu'un conseiller me rappelle", "être rappelé".
      "(?:pouvez-vous|pourriez-vous|peux-tu|pourrais-tu|peut-on|pourrait-on|merci de|veuillez|pouvez vous|pourriez vous)\\s+me\\s+(?:rappeler|contacter|téléphoner|appeler)",
      "rappelez[- ]moi(?:\\s*[,.!?]|\\s+(?:svp|s'il|au|dès|demain|rapidement|vite|aujourd'hui)|$)", "qu'(?:on|un|une|une personne|un conseiller|quelqu'un)\\s*(?:\\p{L}+\\s+)?me\\s+(?:rappelle|contacte|téléphone|appelle)",
      "(?:être|etre)\\s+rappelée?s?", "(?:demande|souhaite|voudrais|aimerais)\\s+(?:un|d'être)\\s+(?:rappel|rappelée?)",
      `(?:un|une)\\s+(?:vrai|vraie|véritable)?\\s*(?:humain|personne|conseiller|conseillère)\\s+(?:réel(?:le)?\\s+)?(?:peut|pourrait)[- ](?:il|elle)?\\s*me\\s+(?:rappeler|contacter|écrire|répondre)`,
    ],
    antiBot: ["(?:le|ce|votre)\\s+(?:bot|chatbot|robot)\\s+ne\\s+(?:me\\s+)?(?:comprend|aide)\\s+(?:pas|rien)", "pas\\s+(?:un|de|le|ce)\\s+(?:robot|bot|chatbot|machine)"],
    politeness: ["svp", "s'il", "vous", "plaît", "maintenant", "un", "une", "vrai", "je", "veux", "bonjour"],
  },
  sensitive: {
    legal: ["avocat\\p{L}*", "procès", "tribunal\\p{L}*", "poursuite\\p{L}*", "en justice", "plainte", "mise en demeure", "action en justice"],
    paymentDispute: ["rétrofacturation", "(?:débité|prélevé|facturé)\\s+deux fois", "double prélèvement", "opposition (?:bancaire|sur)", "contester le paiement",
      "rejet de (?:paiement|prélèvement)", "contest\\p{L}*\\s+(?:le|un|ce|les|mon)\\s+(?:paiement|prélèvement|débit|achat|transaction)s?", "(?:demandé|demande|signalé|contacté|appelé|prévenu)\\s+(?:à\\s+)?ma\\s+banque",
      "litige\\s+(?:avec|auprès de|via)\\s+ma\\s+banque", "(?:débité|prélevé|facturé|débitée|prélevée|facturée)\\s+(?:[\\p{L}\\p{N}.,']+\\s+){0,5}(?:deux|trois|plusieurs) fois",
      "(?:prélèvement|paiement|débit)s?\\s+(?:non autorisé|frauduleu\\p{L}*)\\p{L}*"],
    accountFraud: ["quelqu'un\\s+(?:d'autre\\s+)?(?:utilise|a utilisé|se sert de|a piraté|pirate|a accédé à|accède à)\\s+(?:mon|à mon)\\s+(?:compte|profil)", "compte\\s+(?:a été|est)\\s+(?:piraté|hacké|usurpé)", "(?:piraté|hacké)\\s+mon\\s+compte", "usurpation d'identité", "vol d'identité",
      "quelqu'un\\s+(?:\\p{L}+\\s+){0,2}(?:a obtenu|a commandé|a activé|a pris|a récupéré|a demandé|a transféré|a porté)\\s+(?:\\p{L}+\\s+){0,4}(?:mon numéro|ma ligne|ma carte sim|ma sim|mon compte|sur mon numéro|avec mon numéro)",
      "(?:je n'ai|j'ai)\\s+(?:jamais|pas|rien)\\s+(?:demandé|commandé|autorisé)\\s+(?:de|une|aucune|cette|la)\\s+(?:nouvelle\\s+)?(?:carte\\s+)?(?:sim|e-?sim|ligne|portabilité)"],
    personalData: ["rgpd", "données personnelles", "mes données", "supprimer mes données", "protection des données"],
    safety: ["bless\\p{L}*", "brûl\\p{L}*", "incendie", "explos\\p{L}*", "hôpital", "urgence\\p{L}*", "dangereu\\p{L}*", "suicid\\p{L}*",
      "m'a\\s+(?:suivie?|poursuivie?|agressée?|attaquée?)", "(?:j'ai|j'avais)\\s+(?:très\\s+|vraiment\\s+)?peur", "(?:pas|plus) en sécurité"],
    harassment: ["harcèle\\p{L}*", "harcel\\p{L}*", "menac(?:é|ée|és|ées|er|ez|ent|ant|ante|ait|aient|e de|es de)", "insult\\p{L}*", "discrimin\\p{L}*", "racis\\p{L}*", "mal à l'aise", "ne me laisse pas tranquille"],
    cancel: ["résili\\p{L}*", "annuler", "annulation"],
    cancelComplaint: ["(?:continuez|continue)\\s+(?:à|de)\\s+(?:me\\s+)?(?:prélever|facturer|débiter)", "jusqu'au dernier centime", "j'en ai marre", "ras le bol", "(?:troisième|quatrième|énième) fois"],
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
