// A review's score as a coloured badge: failed (a critical item) red, below 70 orange, else teal.
import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function ScoreBadge({ score, failed }: { score: number | null | undefined; failed: boolean }) {
  const { t, i18n } = useTranslation();
  if (failed) return <Badge color="red">{t("quality.failed")}</Badge>;
  if (score === null || score === undefined) return <Badge variant="light">{t("quality.noScore")}</Badge>;
  const value = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(score);
  return <Badge color={score < 70 ? "orange" : "teal"}>{t("quality.score", { score: value })}</Badge>;
}
