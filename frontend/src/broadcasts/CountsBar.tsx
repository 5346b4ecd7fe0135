// A broadcast's recipients as one bar: read, delivered, sent, failed, skipped, waiting.
import { Progress, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Counts } from "./api";
import { progressParts } from "./compose";

export function CountsBar({ counts, label }: { counts: Counts; label: string }) {
  const { t } = useTranslation();
  const parts = progressParts(counts);
  return (
    <Progress.Root size="lg" aria-label={label} miw={120}>
      {parts.map((part) => (
        <Tooltip key={part.key} label={t(`broadcasts.counts.${part.key}`)}>
          <Progress.Section value={part.value} color={part.color} />
        </Tooltip>
      ))}
    </Progress.Root>
  );
}
