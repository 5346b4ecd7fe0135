// Why a message was not delivered, as the agent reads it under the message.
import type { Message } from "../api/client";
import type { Translate } from "../i18n/translate";

// Reasons Frontdesk itself gives (not a provider's words) are told in the agent's language.
const OWN_REASONS = new Set(["send_unconfirmed"]);

export function failureReason(t: Translate, error: Message["error"]): string {
  const code = error?.["code"];
  if (typeof code === "string" && OWN_REASONS.has(code)) return t(`rich.bubble.reasons.${code}`);
  const message = typeof error?.["message"] === "string" ? error["message"] : "";
  if (!message) return t("rich.bubble.unknownReason");
  return code !== undefined && code !== null && code !== "" ? `${message} (${String(code)})` : message;
}
