import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { BroadcastStatus } from "./api";

const COLOURS: Record<BroadcastStatus, string> = {
  draft: "gray",
  scheduled: "violet",
  sending: "blue",
  paused: "yellow",
  cancelled: "dark",
  done: "teal",
};

export function StatusBadge({ status }: { status: BroadcastStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[status]} variant="light">
      {t(`broadcasts.status.${status}`)}
    </Badge>
  );
}
