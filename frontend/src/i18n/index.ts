// Texts in English, Brazilian Portuguese and Vietnamese; dates and numbers follow the language.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "../locales/en/common.json";
import ptBR from "../locales/pt-BR/common.json";
import vi from "../locales/vi/common.json";

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
