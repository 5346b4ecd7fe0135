// Unit tests: the app's own catalogues behind a translation function, one language at a time.
import i18next from "i18next";
import { type LanguageCode, catalogues } from "./index";
import type { Translate } from "./translate";

export async function translator(lng: LanguageCode): Promise<Translate> {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: { [lng]: { common: catalogues[lng] } },
    defaultNS: "common",
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return i18n.t.bind(i18n) as Translate;
}
