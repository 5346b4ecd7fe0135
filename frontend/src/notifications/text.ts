// What a notification says, in the member's language (pure, so it can be tested).
import type { TFunction } from "i18next";
import type { Schemas } from "../api/client";

export type Notification = Schemas["NotificationRead"];

/** "Bob mentioned you", "Dave assigned you", "Routing assigned you". */
export function notificationTitle(n: Notification, t: TFunction): string {
  if (n.kind === "mention") return t("notifications.mention", { name: n.actor?.name ?? t("notifications.someone") });
  if (n.kind === "assigned") {
    return n.actor ? t("notifications.assigned", { name: n.actor.name }) : t("notifications.assignedByRouting");
  }
  if (n.kind === "sla" && n.detail) {
    const [target, state] = n.detail.split(":");
    return t(`sla.notice.${state}`, { target: t(`sla.target.${target}`) });
  }
  return t(`notifications.kind.${n.kind}`);
}

/** The badge's number: "9+" past nine. */
export function unreadBadge(count: number): string {
  return count > 9 ? "9+" : String(count);
}
