/**
 * Customer-service concepts across languages, for the knowledge search: each entry lists the words
 * customers and articles use for one concept in English, German, Spanish, French and Portuguese
 * (PostgreSQL stems each word in the article's own configuration, so inflections need not be
 * listed). A question word of any entry also finds the entry's other words, in whichever language
 * the articles are written: "Erstattung" finds an English article about refunds, "money back" one
 * that says "refund". Only concepts every kind of business meets belong here (refunds, delivery,
 * invoices, passwords, opening hours…), never the words of one trade. A word that would mean
 * something else in another language (English "bar", German "bar" = cash) stays out.
 */
export const conceptLexicon: Record<string, string[]> = {
  refund: ["refund", "reimburse", "reimbursement", "money back", "erstattung", "rückerstattung", "erstatten", "geld zurück", "reembolso", "reembolsar", "devolución del dinero", "remboursement", "rembourser", "reembolsar", "estorno"],
  return: ["return", "send back", "rücksendung", "retoure", "zurückschicken", "zurücksenden", "zurückgeben", "devolver", "devolución", "retour", "retourner", "renvoyer", "devolução", "send it back", "send them back", "bring it back", "take back"],
  exchange: ["exchange", "swap", "umtausch", "umtauschen", "tauschen", "intercambio", "échanger", "échange", "trocar", "troca"],
  delivery: ["delivery", "deliver", "shipping", "ship", "lieferung", "liefern", "versand", "versenden", "zustellung", "envío", "envio", "entrega", "enviar", "livraison", "livrer", "expédition", "expédier", "envoi", "entregar"],
  postage: ["postage", "shipping cost", "delivery cost", "versandkosten", "porto", "lieferkosten", "gastos de envío", "coste de envío", "frais de port", "frais de livraison", "frete", "portes"],
  parcel: ["parcel", "package", "paket", "päckchen", "paquete", "colis", "pacote"],
  order: ["order", "bestellung", "bestellen", "pedido", "commande", "commander", "encomenda"],
  tracking: ["tracking", "track", "tracking number", "trace", "sendungsverfolgung", "sendungsnummer", "verfolgen", "seguimiento", "número de seguimiento", "rastrear", "suivi", "numéro de suivi", "suivre", "rastreamento", "rastreio"],
  cancel: ["cancel", "cancellation", "terminate", "kündigen", "kündigung", "stornieren", "stornierung", "cancelar", "cancelación", "annuler", "annulation", "résilier", "résiliation", "cancelamento"],
  invoice: ["invoice", "bill", "receipt", "rechnung", "quittung", "beleg", "factura", "recibo", "facture", "reçu", "fatura", "nota fiscal"],
  payment: ["payment", "pay", "zahlung", "bezahlen", "zahlen", "zahlungsart", "pago", "pagar", "paiement", "payer", "pagamento", "debit", "direct debit", "lastschrift", "abbuchung", "abbuchen", "abgebucht", "domiciliación", "prélèvement", "débit"],
  price: ["price", "cost", "fee", "charge", "how much", "preis", "kosten", "gebühr", "was kostet", "precio", "coste", "costo", "tarifa", "cuánto cuesta", "prix", "coût", "tarif", "combien coûte", "preço", "custo", "taxa", "quanto custa"],
  free: ["free", "free of charge", "kostenlos", "gratis", "umsonst", "gratuito", "gratuit", "gratuitement", "grátis"],
  password: ["password", "passcode", "passwort", "kennwort", "contraseña", "mot de passe", "senha"],
  login: ["login", "log in", "sign in", "anmelden", "einloggen", "anmeldung", "iniciar sesión", "se connecter", "connexion", "entrar na conta"],
  account: ["account", "konto", "kundenkonto", "cuenta", "compte", "conta"],
  hours: ["opening hours", "opening times", "open", "öffnungszeiten", "geöffnet", "horario", "abierto", "horaires", "ouvert", "horário", "aberto"],
  store: ["store", "shop", "branch", "laden", "filiale", "geschäft", "tienda", "sucursal", "magasin", "boutique", "loja"],
  warranty: ["warranty", "guarantee", "garantie", "gewährleistung", "garantía", "garantia"],
  repair: ["repair", "reparatur", "reparieren", "reparación", "reparar", "réparation", "réparer", "conserto", "consertar"],
  damaged: ["damaged", "broken", "defective", "beschädigt", "kaputt", "defekt", "dañado", "roto", "endommagé", "abîmé", "cassé", "défectueux", "danificado", "quebrado", "leaking", "leak", "torn", "ripped", "undicht", "ausgelaufen", "gerissen", "roto", "fuite", "déchiré"],
  missing: ["missing", "lost", "fehlt", "verloren", "perdido", "falta", "perdu", "manquant", "extraviado"],
  discount: ["discount", "promo code", "coupon", "rabatt", "gutscheincode", "ermäßigung", "descuento", "cupón", "réduction", "remise", "code promo", "desconto", "cupom"],
  voucher: ["voucher", "gift card", "gift certificate", "gutschein", "geschenkkarte", "tarjeta regalo", "cheque regalo", "carte cadeau", "bon d'achat", "cartão presente", "vale-presente"],
  size: ["size", "sizing", "größe", "talla", "taille", "tamanho"],
  address: ["address", "adresse", "anschrift", "lieferadresse", "dirección", "endereço", "move house", "moving house", "new address", "umzug", "umziehen", "neue adresse", "mudanza", "nueva dirección", "déménagement", "déménager", "nouvelle adresse", "mudança"],
  subscription: ["subscription", "abo", "abonnement", "suscripción", "assinatura"],
  pause: ["pause", "skip", "pausieren", "aussetzen", "pausar", "suspendre", "mettre en pause"],
  unsubscribe: ["unsubscribe", "opt out", "abmelden", "abbestellen", "darse de baja", "se désabonner", "se désinscrire", "descadastrar"],
  newsletter: ["newsletter", "marketing emails", "mailing list", "werbemails", "boletín", "lettre d'information"],
  booking: ["booking", "reservation", "book", "reserve", "buchung", "reservierung", "buchen", "reservieren", "reserva", "reservar", "réservation", "réserver"],
  student: ["student", "studierende", "studenten", "estudiante", "étudiant", "estudante"],
  cash: ["cash", "bargeld", "efectivo", "espèces", "dinheiro vivo"],
  duration: ["how long", "wie lange", "dauer", "cuánto tarda", "tardar", "plazo", "combien de temps", "délai", "quanto tempo", "prazo"],
  parking: ["parking", "car park", "parkplatz", "parken", "aparcamiento", "aparcar", "estacionamiento", "stationnement", "se garer", "estacionamento"],
  wifi: ["wifi", "wi-fi", "wlan", "internet"],
  breakfast: ["breakfast", "frühstück", "desayuno", "petit déjeuner", "café da manhã"],
  trial: ["trial", "free trial", "probe", "probetraining", "probeabo", "prueba", "essai", "teste"],
  ingredients: ["ingredients", "zutaten", "inhaltsstoffe", "ingredientes", "ingrédients", "preservatives", "additives", "konservierungsstoffe", "zusatzstoffe", "conservantes", "aditivos", "conservateurs", "additifs"],
  frequency: ["frequency", "how often", "interval", "rhythm", "häufigkeit", "wie oft", "rhythmus", "intervall", "frecuencia", "cada cuánto", "fréquence", "frequência"],
  referral: ["referral", "refer a friend", "invite a friend", "invite", "freunde werben", "weiterempfehlen", "empfehlung", "recomendar", "invitar", "parrainage", "parrainer", "indicação"],
  contract: ["contract", "minimum term", "vertrag", "mindestlaufzeit", "laufzeit", "contrato", "permanencia", "contrat"],
  age: ["age", "minimum age", "mindestalter", "edad", "âge", "idade"],
  lostProperty: ["lost property", "lost and found", "fundsachen", "fundbüro", "objetos perdidos", "objets trouvés", "achados e perdidos"],
};

/**
 * Words that frame a question rather than name its subject ("what's your return *policy*", "is that
 * *normal*"): like filler words, they never count for or against an article.
 */
export const framingWords = [
  "policy", "policies", "rule", "rules", "option", "options", "info", "information", "details", "process", "procedure", "normal", "problem", "issue", "situation",
  "regel", "regeln", "möglichkeit", "möglichkeiten", "info", "infos", "informationen", "ablauf", "normal", "problem",
  "política", "opción", "opciones", "información", "proceso", "normal", "problema",
  "politique", "option", "options", "informations", "procédure", "normal", "problème",
];
