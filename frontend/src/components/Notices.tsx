// Recent notices for the agent: a new assignment or a mention, each a link to the conversation.
// They sit at the top, clear of the composer at the bottom, and go away by themselves after a
// few seconds (not while the pointer or the keyboard focus is on one).
import { CloseButton, Group, Paper, Stack, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useLiveValue } from "../live/cache";
import { liveKeys } from "../live/keys";
import { type Notice, dismissNotice } from "../live/notify";

export const NOTICE_SECONDS = 6;

export function Notices() {
  const items = useLiveValue<Notice[]>(liveKeys.notices, []);
  const phone = useMediaQuery("(max-width: 48em)");
  if (items.length === 0) return null;
  return (
    <Stack
      pos="fixed"
      top={64}
      right={phone ? 8 : 16}
      left={phone ? 8 : undefined}
      gap="xs"
      style={{ zIndex: 300 }}
      role="status"
      aria-live="polite"
    >
      {items.map((n) => (
        <Toast key={n.id} notice={n} width={phone ? undefined : 320} />
      ))}
    </Stack>
  );
}

function Toast({ notice: n, width }: { notice: Notice; width: number | undefined }) {
  const { t } = useTranslation();
  const [held, setHeld] = useState(false);
  const queries = useQueryClient();
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => dismissNotice(queries, n.id), NOTICE_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [held, n.id, queries]);
  return (
    <Paper
      withBorder
      shadow="md"
      p="sm"
      w={width}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" component={Link} to={`/conversations/${n.conversationId}`} onClick={() => dismissNotice(queries, n.id)}>
          {t(`notices.${n.kind}`, { name: n.who })}
        </Text>
        <CloseButton size="sm" aria-label={t("notices.dismiss")} onClick={() => dismissNotice(queries, n.id)} />
      </Group>
    </Paper>
  );
}
