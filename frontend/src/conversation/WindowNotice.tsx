// The customer-service window above the composer: the time left to reply freely (live), or why
// only a template can be sent now that it has closed.
import { Alert, Button, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { serverNow } from "../api/serverClock";
import { type WindowLeft, formatDuration, windowLeft } from "./rich";

/** The window's state by the server's clock, re-evaluated every few seconds (and exactly when it
 * closes). */
export function useWindow(expiresAt: string | null | undefined): WindowLeft {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    setNow(serverNow());
    if (!expiresAt) return;
    const tick = window.setInterval(() => setNow(serverNow()), 10_000);
    const left = new Date(expiresAt).getTime() - serverNow();
    // Browsers cap timeouts at about 24.8 days; a window is far shorter.
    const closing = left > 0 && left < 2 ** 31 - 1 ? window.setTimeout(() => setNow(serverNow()), left + 50) : undefined;
    return () => {
      window.clearInterval(tick);
      if (closing !== undefined) window.clearTimeout(closing);
    };
  }, [expiresAt]);
  return windowLeft(expiresAt, now);
}

export function WindowNotice({ left, onTemplate }: { left: WindowLeft; onTemplate: () => void }) {
  const { t, i18n } = useTranslation();
  if (left.state === "none") return null;
  if (left.state === "closed") {
    return (
      <Alert color="orange" mb="xs" title={t("rich.window.closedTitle")} role="status" aria-label={t("rich.window.closedTitle")}>
        <Text size="sm">{t("rich.window.closed")}</Text>
        <Button size="compact-sm" mt={6} variant="light" color="orange" onClick={onTemplate}>
          {t("rich.template.open")}
        </Button>
      </Alert>
    );
  }
  const time = formatDuration(left.hours, left.minutes, i18n.language);
  return (
    <Text size="xs" mb={4} c={left.urgent ? "orange.8" : "dimmed"} fw={left.urgent ? 600 : undefined} role="timer" aria-live="off">
      {t(left.urgent ? "rich.window.closesSoon" : "rich.window.closesIn", { time })}
    </Text>
  );
}
