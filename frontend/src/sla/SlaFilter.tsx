// The inbox's SLA filter: the "SLA at risk" and "SLA breached" views (saved views keep it too).
import { Select } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { SlaFilter as Wanted } from "../inbox/views";

export function SlaFilter({ value, onChange }: { value: Wanted | undefined; onChange: (v: Wanted | undefined) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      size="xs"
      clearable
      aria-label={t("sla.filter.label")}
      placeholder={t("sla.filter.label")}
      data={[
        { value: "at_risk", label: t("sla.filter.at_risk") },
        { value: "breached", label: t("sla.filter.breached") },
      ]}
      value={value ?? null}
      onChange={(v) => onChange((v as Wanted | null) ?? undefined)}
    />
  );
}
