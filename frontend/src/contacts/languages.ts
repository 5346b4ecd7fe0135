// Language codes as the product spells them (en, pt-BR, vi, or another ISO 639 code), and their names.

/** The languages the app and the automatic messages are written in. */
export const PRODUCT_LANGUAGES = ["en", "pt-BR", "vi"] as const;
/** Other languages most often met in contact centres, offered after the product's. */
export const OTHER_LANGUAGES = ["es", "fr", "de", "it", "nl", "id", "ms", "th", "tl", "zh", "ja", "ko", "hi", "ar", "ru"] as const;

/** "Português (Brasil)", "tiếng Việt"…: a language's name in the user's language. */
export function languageName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The choices of a language select: the product's languages, then the others (and `current`). */
export function languageChoices(language: string, groups: { product: string; others: string }, current?: string | null) {
  const known = new Set<string>([...PRODUCT_LANGUAGES, ...OTHER_LANGUAGES]);
  const others = [...OTHER_LANGUAGES, ...(current && !known.has(current) ? [current] : [])];
  const item = (code: string) => ({ value: code, label: languageName(code, language) });
  return [
    { group: groups.product, items: PRODUCT_LANGUAGES.map(item) },
    { group: groups.others, items: others.map(item).sort((a, b) => a.label.localeCompare(b.label, language)) },
  ];
}
