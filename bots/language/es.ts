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
      // "¿Me puede llamar alguien?", "que me llame una persona", "devuélvanme la llamada".
      "(?:llámenme|llámeme|llamadme|llámame|llamenme|llameme|llamame)", "(?:que|quiero que|necesito que)\\s+(?:alguien|una persona|un agente|un asesor|un humano)?\\s*(?:de\\s+\\p{L}+\\s+)?me\\s+(?:llame|llamen|contacte|contacten|escriba|escriban)",
      "me\\s+(?:puede|pueden|podría|podrían|podéis|puedes)\\s+(?:llamar|contactar|escribir|devolver la llamada)", "(?:devolverme|devuélvanme|devuélvame|devolvedme)\\s+la\\s+llamada",
      // "¿Me puede atender una persona?", "quiero que me atienda un asesor".
      `(?:puede|pueden|podría|podrían)\\s+atender(?:me|nos)?\\s+${art}${real}{person}`, `que\\s+me\\s+atiend(?:a|an)\\s+${art}${real}{person}`,
      `(?:puede|pueden|podría|podrían)\\s+${art}${real}{person}\\s+(?:real\\s+|de verdad\\s+)?(?:de\\s+(?:su|vuestro|tu)\\s+\\p{L}+\\s+)?(?:llamarme|contactarme|escribirme)`,
    ],
    antiBot: ["(?:el|este|vuestro|su)\\s+(?:bot|chatbot|robot)\\s+no\\s+(?:me\\s+)?(?:entiende|ayuda)", "no\\s+(?:quiero\\s+)?(?:hablar\\s+con\\s+)?(?:un|el|una)?\\s*(?:bot|robot|máquina|chatbot)"],
    politeness: ["por", "favor", "ya", "ahora", "un", "una", "quiero", "necesito", "hola", "real"],
  },
  sensitive: {
    // Not "demand\\p{L}*": it would match English "demand" and French "demandé".
    legal: ["abogad\\p{L}*", "demand(?:a|as|ar|aré|aremos|ado|ando|aros|arles|arlos|arte)", "denunci\\p{L}*", "tribunal\\p{L}*", "juicio", "acciones legales", "oficina (?:municipal )?de(?:l)? consumo", "(?:ir|acudir|reclamar|denunciar) (?:a|en|ante) consumo"],
    paymentDispute: ["contracargo\\p{L}*", "(?:cobrado|cobraron|cargado)\\s+dos veces", "doble cargo", "reclamar al banco", "cargo no autorizado",
      "(?:cobrado|cobraron|cobrasteis|cobró|cargado|cargaron|cargasteis)\\s+(?:[\\p{L}\\p{N}.,]+\\s+){0,5}(?:dos|tres|varias) veces",
      "(?:pedido|pedí|pediré|dicho|solicitado|llamado|avisado|contactado|reclamado)\\s+(?:a|al|con)\\s+(?:mi\\s+)?banco", "(?:reclamación|reclamacion|disputa|queja|denuncia)\\s+(?:con|en|ante|a|al)\\s+(?:mi|el)?\\s*banco",
      "(?:anul\\p{L}*|devuelv\\p{L}*|revierta\\p{L}*|retroced\\p{L}*)\\s+(?:el|los|este|ese)\\s+(?:cargo|cobro|pago|recibo)s?", "devolver el recibo",
      "(?:cobrado|cobraron|cobrasteis|cargado)\\s+(?:[\\p{L}\\p{N}.,]+\\s+){0,6}que\\s+no\\s+(?:hice|hicimos|pedí|compré|autoricé|reconozco|he hecho|hemos hecho)"],
    accountFraud: ["alguien\\s+(?:está|esta|ha)?\\s*(?:usando|utilizando|usado|utilizado|entrado en|accedido a|accediendo a|usa|utiliza|hackeado|hackeó)\\s+(?:mi|mis)\\s+(?:cuenta|perfil|tarjeta)", "(?:hackeado|hackearon|pirateado|piratearon|robado|robaron)\\s+(?:mi|la)\\s+cuenta", "(?:mi\\s+)?cuenta\\s+(?:ha sido|fue)\\s+(?:hackeada|pirateada|robada)", "suplantación de identidad", "robo de identidad",
      "alguien\\s+(?:\\p{L}+\\s+){0,2}(?:sacó|pidió|activó|consiguió|obtuvo|ha sacado|ha pedido|ha activado|ha conseguido|portó|se llevó)\\s+(?:\\p{L}+\\s+){0,4}(?:mi|de mi|con mi|para mi)\\s+(?:número|numero|línea|linea|sim|cuenta)",
      "(?:yo\\s+)?(?:no|nunca)\\s+(?:he\\s+)?(?:pedido|solicitado|encargado|autorizado)\\s+(?:ninguna|una|la|otra|esa)\\s+(?:nueva\\s+)?(?:sim|tarjeta sim|e-?sim|línea|linea|portabilidad)", "duplicado (?:de|de la) (?:sim|tarjeta) (?:\\p{L}+\\s+){0,3}sin (?:mi )?(?:permiso|autorización)"],
    personalData: ["rgpd", "protección de datos", "mis datos", "datos personales", "borrar mis datos", "eliminar mis datos"],
    safety: ["herid\\p{L}*", "quemad\\p{L}*", "incendio", "explot\\p{L}*", "hospital", "emergencia", "peligros\\p{L}*", "suicid\\p{L}*",
      "me\\s+(?:siguió|persiguió|ha seguido|ha perseguido|siguieron|persiguieron|han seguido)\\s+(?:hasta|a casa|por)", "me\\s+(?:agredió|atacó|ha agredido|ha atacado)", "tengo\\s+(?:mucho\\s+)?miedo", "no me siento segur\\p{L}*"],
    harassment: ["acos\\p{L}*", "amenaz\\p{L}*", "insult\\p{L}*", "discrimin\\p{L}*", "racis\\p{L}*", "me\\s+(?:hace|hizo|hacen)\\s+sentir\\s+(?:muy\\s+)?incómod\\p{L}*", "me siento\\s+(?:muy\\s+)?incómod\\p{L}*", "no me deja en paz"],
    cancel: ["cancel\\p{L}*", "dar de baja", "darme de baja", "anular"],
    cancelComplaint: ["(?:seguís|siguen|sigue|seguís sin dejar de)\\s+cobr\\p{L}*", "hasta el último céntimo", "(?:estoy|estamos)\\s+hart\\p{L}*", "(?:tercera|cuarta|enésima) vez"],
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
