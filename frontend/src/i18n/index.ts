// Texts in English, Brazilian Portuguese and Vietnamese; dates and numbers follow the language.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";

type Catalogue = Record<string, unknown>;

// Each language is a folder of JSON files (one per feature); their top-level keys never overlap.
const files = import.meta.glob<Catalogue>("../locales/*/*.json", { eager: true, import: "default" });

/** The files of one language merged into one catalogue; a top-level key in two files is an error. */
export function mergeCatalogue(language: string, sources: Record<string, Catalogue> = files): Catalogue {
  const merged: Catalogue = {};
  for (const [path, content] of Object.entries(sources)) {
    if (path.split("/").at(-2) !== language) continue;
    for (const [key, value] of Object.entries(content)) {
      if (key in merged) throw new Error(`catalogue key "${key}" is in two files of ${language}`);
      merged[key] = value;
    }
  }
  return merged;
}

const en = mergeCatalogue("en");
const ptBR = mergeCatalogue("pt-BR");
const vi = mergeCatalogue("vi");

export const LANGUAGES = [
  { code: "en", label: "English" },
  { code: "pt-BR", label: "Português (Brasil)" },
  { code: "vi", label: "Tiếng Việt" },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]["code"];

export const catalogues = { en, "pt-BR": ptBR, vi } as const;

export function browserLanguage(wanted: readonly string[]): LanguageCode {
  for (const raw of wanted) {
    const tag = raw.toLowerCase();
    if (tag.startsWith("pt")) return "pt-BR";
    if (tag.startsWith("vi")) return "vi";
    if (tag.startsWith("en")) return "en";
  }
  return "en";
}

export function setupI18n(language: LanguageCode) {
  void i18n.use(initReactI18next).init({
    lng: language,
    fallbackLng: "en",
    resources: { en: { common: en }, "pt-BR": { common: ptBR }, vi: { common: vi } },
    defaultNS: "common",
    interpolation: { escapeValue: false },
  });
  return i18n;
}

/** "3 min", "2 h", "1 d" in the user's language. */
export function formatWait(sinceIso: string, now: number, language: string): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(sinceIso)) / 60_000));
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    minutes < 60 ? [minutes, "minute"] : minutes < 1440 ? [Math.round(minutes / 60), "hour"] : [Math.round(minutes / 1440), "day"];
  return new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "short" }).format(value);
}
