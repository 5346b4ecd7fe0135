// A custom field's key, suggested from its label: what the API and imports call the field.
import { fold } from "../components/search";

/** The rule the server holds keys to: a letter, then letters, digits or "_", 64 at most. */
export const FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;

/** "Tamanho da camisa" → "tamanho_da_camisa"; "2nd phone" → "f_2nd_phone"; "?!" → "". */
export function keyFromLabel(label: string): string {
  const words = fold(label)
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!words) return "";
  const key = /^[a-z]/.test(words) ? words : `f_${words}`;
  return key.slice(0, 64).replace(/_+$/, "");
}
