import type { LanguagePack } from "./types.js";

const art = "(?:(?:un|una|el|la|algún|alguna|alguien de|su|tu)\\s+)?";
const real = "(?:(?:real|verdadera|verdadero|de verdad)\\s+)?";

export const es: LanguagePack = {
  code: "es",
  tsConfig: "spanish",
  stopwords: ["el", "la", "los", "las", "de", "que", "y", "en", "un", "una", "es", "por", "con", "para", "mi", "mis", "no", "se", "lo", "como", "cuánto", "cuándo", "dónde", "qué", "puedo", "hay", "del", "al", "me", "tengo", "hola", "su", "sus", "está"],
  letters: "ñ¿¡",
  fillerWords: ["hola", "buenas", "buenos", "días", "tardes", "gracias", "por favor", "favor", "quiero", "quisiera", "necesito", "saber", "ayuda", "pregunta", "alguien", "equipo", "hago", "hacer", "hace", "puedo", "puede", "pueden", "podría", "podrían", "cómo", "como", "qué", "cuándo", "dónde", "cuál", "tengo", "tiene", "tienen", "hay", "ya", "todavía", "aún", "ahora", "hoy", "ayer", "mañana", "mi", "mis", "vosotros", "ustedes", "saludos", "oye"],
  questionWords: ["qué", "que", "cómo", "cuándo", "dónde", "cuál", "cuáles", "quién", "por qué", "cuánto", "cuánta", "cuántos", "cuántas", "puedo", "puede", "pueden", "podría", "podrían", "hay", "es", "son", "tienen", "tenéis", "se puede", "me pueden decir", "quisiera saber", "quiero saber", "me gustaría saber"],
  synonyms: [
    ["envío", "entrega", "paquete"],
    ["devolver", "devolución", "devoluciones"],
    ["reembolso", "devolución del dinero"],
    ["garantía", "reparación"],
    ["tienda", "local"],
    ["tarda", "tardar", "plazo", "llegar"],
  ],
  handoff: {
    persons: ["personas?", "humanos?", "agentes?", "asesor(?:a|es)?", "operador(?:a|es)?", "alguien", "representantes?", "emplead(?:o|a|os)", "atención al cliente", "servicio al cliente", "soporte"],
    requests: [
      `(?:hablar|comunicarme|chatear|contactar)\\s+con\\s+${art}${real}{person}`,
      `(?:pásame|páseme|pasame|ponme|póngame|comuníqueme|comunícame)\\s+(?:con\\s+)?${art}${real}{person}`,
      `(?:quiero|necesito|quisiera|puedo|me gustaría)\\s+(?:hablar\\s+con\\s+)?${art}${real}{person}`,
    ],
    antiBot: ["no\\s+(?:quiero\\s+)?(?:hablar\\s+con\\s+)?(?:un|el|una)?\\s*(?:bot|robot|máquina|chatbot)"],
    politeness: ["por", "favor", "ya", "ahora", "un", "una", "quiero", "necesito", "hola", "real"],
  },
  sensitive: {
    legal: ["abogad\\p{L}*", "demand\\p{L}*", "denunci\\p{L}*", "tribunal\\p{L}*", "juicio", "acciones legales", "consumo"],
    paymentDispute: ["contracargo\\p{L}*", "(?:cobrado|cobraron|cargado)\\s+dos veces", "doble cargo", "reclamar al banco", "cargo no autorizado"],
    personalData: ["rgpd", "protección de datos", "mis datos", "datos personales", "borrar mis datos", "eliminar mis datos"],
    safety: ["herid\\p{L}*", "quemad\\p{L}*", "incendio", "explot\\p{L}*", "hospital", "emergencia", "peligros\\p{L}*", "suicid\\p{L}*"],
    harassment: ["acos\\p{L}*", "amenaz\\p{L}*", "insult\\p{L}*", "discrimin\\p{L}*", "racis\\p{L}*"],
    cancel: ["cancelar", "dar de baja", "darme de baja", "anular"],
  },
  negative: {
    strong: ["estafa\\p{L}*", "timo", "horrible", "pésim\\p{L}*", "basura", "vergüenza", "nunca más", "lo peor", "fraude", "asqueros\\p{L}*", "inaceptable", "una broma"],
    mild: ["decepcion\\p{L}*", "roto", "rota", "tarde", "lento", "mala calidad", "malo", "mala", "molest\\p{L}*", "enfadad\\p{L}*", "queja\\p{L}*"],
  },
  closing: {
    phrases: ["gracias", "muchas gracias", "mil gracias", "perfecto", "adiós", "hasta luego", "eso es todo", "genial"],
    extras: ["ok", "vale", "muy", "amable", "por", "la", "información", "ayuda", "todo", "bien", "sí", "de", "nuevo"],
  },
  autoReply: ["respuesta automática", "mensaje automático", "fuera de la oficina", "no responda a este"],
};
