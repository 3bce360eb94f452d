import { de } from "./de.js";
import { en } from "./en.js";
import { es } from "./es.js";
import { fr } from "./fr.js";
import type { LanguagePack } from "./types.js";

/** The languages the detectors understand; add a pack here to add a language (docs/bots.md). */
export const languagePacks: LanguagePack[] = [en, de, es, fr];

/**
 * PostgreSQL text-search configurations by language code, for knowledge articles. Languages without
 * a pack can still be searched: their words are stemmed by PostgreSQL, and other codes use `simple`.
 */
const tsConfigs: Record<string, string> = {
  ar: "arabic", ca: "catalan", da: "danish", de: "german", el: "greek", en: "english", es: "spanish", et: "estonian", eu: "basque",
  fi: "finnish", fr: "french", ga: "irish", hi: "hindi", hu: "hungarian", hy: "armenian", id: "indonesian", it: "italian",
  lt: "lithuanian", ne: "nepali", nl: "dutch", no: "norwegian", nb: "norwegian", pt: "portuguese", ro: "romanian", ru: "russian",
  sr: "serbian", sv: "swedish", ta: "tamil", tr: "turkish", yi: "yiddish",
};

export function tsConfigFor(language: string): string {
  return tsConfigs[language] ?? "simple";
}

export function packFor(code: string | null | undefined): LanguagePack | undefined {
  return languagePacks.find((p) => p.code === code);
}

export type { LanguagePack };
