import type { LanguagePack } from "./types.js";

const art = "(?:(?:einem|einer|einen|einen|dem|der|den|ihrem|ihrer|eurem|eurer|euren|ihren|jemandem von|jemand von)\\s+)?";
const real = "(?:(?:echten|echter|echte|richtigen|richtiger|realen|menschlichen|lebenden)\\s+)?";

export const de: LanguagePack = {
  code: "de",
  tsConfig: "german",
  stopwords: ["der", "die", "das", "und", "ist", "ich", "nicht", "sie", "es", "ein", "eine", "einen", "mit", "mein", "meine", "wie", "wo", "wann", "was", "kann", "ihr", "euch", "habe", "hat", "bei", "für", "auf", "noch", "bitte", "auch", "zu", "von", "mir", "mich", "dass", "wir", "sind", "den", "dem", "haben", "gibt", "man"],
  letters: "äöüß",
  fillerWords: ["bitte", "hallo", "hi", "moin", "servus", "guten", "tag", "morgen", "abend", "danke", "dank", "möchte", "möchten", "würde", "gerne", "gern", "will", "brauche", "frage", "kurze", "wissen", "sagen", "helfen", "hilfe", "jemand", "leute", "team", "liebe", "lieber", "sehr", "geehrte", "geehrter", "damen", "herren", "mal", "eigentlich", "schon", "ok", "okay", "ja", "funktioniert", "funktionieren", "klappt", "geht", "gehen", "machen", "mache", "möglich", "genau", "kann", "können", "könnte", "könnten", "muss", "müssen", "soll", "sollte", "darf", "dürfen", "wie", "was", "wann", "wo", "warum", "welche", "welcher", "welches", "habe", "hab", "hast", "habt", "haben", "gibt", "gerade", "jetzt", "heute", "gestern", "noch", "bereits", "immer", "nie", "sehen", "sehe", "finden", "finde", "bekommen", "bekomme", "kriege", "kriegen", "euch", "eure", "euer", "leider", "irgendwie", "vielleicht", "einfach"],
  questionWords: ["was", "wie", "wann", "wo", "wohin", "woher", "welche", "welcher", "welches", "welchen", "wer", "wem", "wen", "warum", "weshalb", "wieso", "wieviel", "wie viel", "kann", "kannst", "könnt", "können", "könnte", "könnten", "muss", "musst", "müssen", "darf", "dürfen", "gibt es", "gibt's", "ist", "sind", "habt", "haben sie", "hast", "bekomme", "bekommt", "geht", "sagt mir", "sagen sie mir", "erklärt", "ich wüsste gern", "ich möchte wissen", "ich würde gerne wissen"],
  synonyms: [
    ["rechnung", "kauf auf rechnung", "faktura"],
    ["paket", "sendung", "lieferung", "bestellung"],
    ["versand", "lieferung", "zustellung"],
    ["versandkosten", "porto", "lieferkosten"],
    ["lieferzeit", "versanddauer", "lieferdauer"],
    ["erstattung", "rückerstattung", "geld zurück"],
    ["garantie", "gewährleistung"],
    ["gutschein", "geschenkkarte"],
    ["laden", "filiale", "geschäft", "shop"],
    ["reißverschluss", "zipper"],
    ["zurückschicken", "zurücksenden", "rücksendung", "retoure", "zurückgeben", "umtauschen"],
    ["kündigen", "kündigung", "stornieren", "stornierung"],
    ["abmelden", "abbestellen"],
    ["passwort", "kennwort"],
    ["waschen", "reinigen", "pflege"],
    ["bezahlen", "zahlen", "zahlung", "zahlungsarten", "zahlungsmöglichkeiten"],
    ["preis", "kosten", "gebühr"],
    ["geöffnet", "öffnungszeiten", "offen", "auf"],
    ["samstag", "samstags"],
    ["sonntag", "sonntags"],
  ],
  handoff: {
    persons: [
      "mitarbeiter(?:in|innen|n)?", "menschen?", "personen?", "berater(?:in)?", "kundenberater(?:in)?", "kundendienst(?:es)?", "kundenservice",
      "support", "servicemitarbeiter(?:in)?", "jemand(?:em|en)?", "agent(?:en|in)?", "sachbearbeiter(?:in)?", "ansprechpartner(?:in)?",
      "operator", "verantwortlichen", "chef", "vorgesetzten", "team", "kundenbetreuer(?:in)?",
    ],
    requests: [
      `(?:mit|zu)\\s+${art}${real}{person}\\s+(?:sprechen|reden|chatten|schreiben|telefonieren|verbunden|verbinden)`,
      `(?:verbinden|leiten|stellen)\\s+(?:sie|du)?\\s*(?:mich|uns)\\s+(?:bitte\\s+)?(?:mit|zu|an)\\s+${art}${real}{person}`,
      `(?:ich\\s+(?:möchte|will|würde gern(?:e)?|hätte gern(?:e)?|brauche|verlange|bestehe auf)|kann ich|könnte ich|darf ich|geben sie mir|gib mir)\\s+(?:bitte\\s+)?(?:mit\\s+)?${art}${real}{person}`,
      `(?:gibt es|gibt's|ist da)\\s+(?:(?:auch|hier|bei euch|bei ihnen)\\s+)?(?:einen|eine|ein|keinen)\\s+${real}{person}`,
      `(?:kann|könnte)\\s+(?:mich\\s+)?(?:bitte\\s+)?(?:jemand|ein mitarbeiter|eine mitarbeiterin)\\s+(?:von\\s+euch\\s+|von\\s+ihnen\\s+)?(?:mich\\s+)?(?:anrufen|kontaktieren|zurückrufen|melden|schreiben)`,
    ],
    antiBot: ["kein(?:en)?\\s+(?:bot|roboter|chatbot|computer|automaten)", "nicht\\s+(?:mit\\s+)?(?:einem|dem)\\s+(?:bot|roboter|chatbot)", "(?:schluss|genug)\\s+mit\\s+(?:dem|diesem)\\s+(?:bot|roboter|chatbot)"],
    politeness: ["bitte", "jetzt", "sofort", "einen", "eine", "einem", "echten", "echte", "richtigen", "menschlichen", "ich", "will", "möchte", "brauche", "mit", "sprechen", "hallo", "dringend", "gerne"],
  },
  sensitive: {
    legal: ["anw(?:a|ä)lt\\p{L}*", "rechtsanw\\p{L}*", "verklag\\p{L}*", "klage\\p{L}*", "gericht\\p{L}*", "rechtliche schritte", "juristisch\\p{L}*", "verbraucherzentrale", "abmahnung", "strafanzeige", "anzeige erstatten", "schlichtungsstelle"],
    paymentDispute: ["rückbuch\\p{L}*", "zurückbuch\\p{L}*", "zurückbuchen", "(?:doppelt|zweimal|mehrfach)\\s+(?:abgebucht|belastet|berechnet|bezahlt)", "lastschrift\\s+(?:zurück\\p{L}*|widerruf\\p{L}*)", "unberechtigt\\p{L}*\\s+(?:abgebucht|abbuchung|belastung)", "chargeback", "bank (?:eingeschaltet|informiert)"],
    personalData: ["dsgvo", "datenschutz\\p{L}*", "(?:meine|alle meine|persönlichen)\\s+(?:persönlichen\\s+)?daten", "daten\\s+(?:löschen|gelöscht)", "auskunft über (?:meine|die) (?:daten|gespeicherten)", "recht auf vergessen\\p{L}*", "personenbezogen\\p{L}*"],
    safety: ["verletz\\p{L}*", "verbrannt", "verbrennung\\p{L}*", "brand", "feuer gefangen", "explodiert", "explosion", "krankenhaus", "notfall", "notaufnahme", "gefährlich\\p{L}*", "lebensgefahr", "suizid\\p{L}*", "umbringen", "stromschlag", "vergiftung", "allergische reaktion"],
    harassment: ["belästig\\p{L}*", "bedroh\\p{L}*", "droh\\p{L}*", "stalk\\p{L}*", "beleidig\\p{L}*", "diskriminier\\p{L}*", "rassis\\p{L}*", "sexuell\\p{L}*", "mobbing", "lässt mich nicht in ruhe"],
    cancel: ["kündig\\p{L}*", "stornier\\p{L}*", "vertrag beenden", "konto (?:löschen|schließen)"],
  },
  negative: {
    strong: ["schlechteste\\p{L}*", "betrug", "betrüger\\p{L}*", "abzocke", "abzocker\\p{L}*", "frechheit", "unverschämt\\p{L}*", "nie wieder", "niemals wieder", "müll", "schrott", "katastroph\\p{L}*", "miserabel", "unzumutbar", "finger weg", "skandal\\p{L}*", "witz", "lachhaft", "eine schande", "reicht mir", "mies\\p{L}*", "grottig", "armselig", "ekelhaft"],
    mild: ["schlecht\\p{L}*", "enttäusch\\p{L}*", "kaputt", "defekt", "aufgegangen", "undicht", "spät", "langsam", "nie angekommen", "nicht angekommen", "immer noch kein\\p{L}*", "ärgerlich", "verärgert", "unzufrieden", "beschwer\\p{L}*", "überteuert", "billig verarbeitet", "nicht zufrieden"],
  },
  closing: {
    phrases: ["danke", "dankeschön", "danke schön", "vielen dank", "besten dank", "merci", "tschüss", "tschüs", "ciao", "das war's", "das wars", "das war alles", "hat geholfen", "passt", "alles klar", "erledigt", "perfekt", "super danke"],
    extras: ["super", "ok", "okay", "gut", "toll", "prima", "sehr", "für", "die", "info", "infos", "hilfe", "antwort", "auskunft", "schnelle", "schönen", "tag", "noch", "einen", "dir", "ihnen", "euch", "ja", "das", "war", "alles", "mir", "hat", "geholfen", "nochmal", "nochmals", "vielmals", "auch", "und"],
  },
  autoReply: ["abwesenheitsnotiz", "automatische (?:antwort|nachricht)", "automatisch (?:generiert|erstellt)", "nicht im büro", "bin ich nicht erreichbar", "bin bis (?:zum )?\\p{N}", "bitte antworten sie nicht", "dies ist eine automatische"],
};
