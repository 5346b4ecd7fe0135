// "A new version is available — Reload": shown when a new version of the app was deployed
// while this one was open; reloading lets the new service worker take over.
import { Button, Group, Paper, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Update, UpdateWatch } from "./updates";

export function UpdateNotice({ watch }: { watch: UpdateWatch | null }) {
  const { t } = useTranslation();
  const [update, setUpdate] = useState<Update | null>(watch?.update ?? null);
  useEffect(() => watch?.subscribe(setUpdate), [watch]);
  if (!update) return null;
  return (
    <Paper
      role="status"
      aria-live="polite"
      withBorder
      shadow="md"
      p="sm"
      pos="fixed"
      bottom={16}
      left={16}
      right={16}
      maw={420}
      mx="auto"
      style={{ zIndex: 400 }}
    >
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">{t("pwa.newVersion")}</Text>
        <Button size="xs" onClick={() => update.apply()}>
          {t("pwa.reload")}
        </Button>
      </Group>
    </Paper>
  );
}
