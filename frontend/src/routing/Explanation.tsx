// "Why me?": the latest routing decision for a conversation in plain words, and its history.
import { Alert, Box, Button, Drawer, List, Popover, Stack, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Conversation, type Me, api, errorMessage, unwrap } from "../api/client";
import { useMembers } from "../hooks/useMembers";
import { languageName } from "../contacts/languages";
import { type Assignment, type Context, awayReasonsAt, explainDecision, howDecided } from "./explain";
import { routingKeys, useAgentStates } from "./hooks";

export function Explanation({ me, conversation }: { me: Me; conversation: Conversation }) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const [opened, setOpened] = useState(false);
  const heading = useId();
  const id = conversation.id;
  const assignee = conversation.assignee;
  const waiting = !assignee && Boolean(conversation.team) && conversation.status !== "closed";
  if (!assignee && !waiting) return null;
  const mine = assignee?.id === me.user.id;
  const label = mine ? t("routing.why.open") : assignee ? t("routing.why.openOther", { name: assignee.name }) : t("routing.why.openQueue");
  const title = mine
    ? t("routing.why.title")
    : assignee
      ? t("routing.why.titleOther", { name: assignee.name })
      : t("routing.why.titleQueue");
  const trigger = (
    <Button variant="subtle" size="compact-xs" aria-haspopup="dialog" aria-expanded={opened} onClick={() => setOpened((o) => !o)}>
      {label}
    </Button>
  );
  const content = <Decisions me={me} conversationId={id} />;
  if (phone) {
    return (
      <>
        {trigger}
        <Drawer opened={opened} onClose={() => setOpened(false)} position="bottom" title={title} size="60%">
          {opened && content}
        </Drawer>
      </>
    );
  }
  return (
    <Popover opened={opened} onChange={setOpened} width={400} position="bottom-start" withArrow shadow="md" trapFocus returnFocus>
      <Popover.Target>{trigger}</Popover.Target>
      <Popover.Dropdown aria-labelledby={heading}>
        <Title id={heading} order={3} size="h5" mb="xs">
          {title}
        </Title>
        {opened && content}
      </Popover.Dropdown>
    </Popover>
  );
}

function Decisions({ me, conversationId }: { me: Me; conversationId: string }) {
  const { t, i18n } = useTranslation();
  const { names } = useMembers();
  const agents = useAgentStates();
  const decisions = useQuery({
    queryKey: routingKeys.assignments(conversationId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/conversations/{conversation_id}/assignments", { params: { path: { conversation_id: conversationId } } }),
      ),
  });
  if (decisions.error) return <Alert color="red">{errorMessage(decisions.error)}</Alert>;
  if (!decisions.data) return <Text size="sm">{t("app.loading")}</Text>;
  const [latest] = decisions.data;
  if (!latest) return <Text size="sm" c="dimmed">{t("routing.why.none")}</Text>;
  const context = (a: Assignment): Context => ({
    me: me.user.id,
    names,
    awayReasons: awayReasonsAt(a.decided_at, agents.data ?? []),
    languageName: (code) => languageName(code, i18n.language),
  });
  const explained = explainDecision(latest, context(latest), t);
  const when = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  return (
    <Stack gap="sm">
      <Box>
        <Text size="xs" c="dimmed">
          {t("routing.why.latest")} · {when(latest.decided_at)}
        </Text>
        <Text size="sm" fw={600}>
          {explained.summary}
        </Text>
        {explained.others.length > 0 && (
          <List size="sm" spacing={2} mt={4}>
            {explained.others.map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        )}
      </Box>
      {decisions.data.length > 1 && (
        <Box>
          <Title order={4} size="h6">
            {t("routing.why.history")}
          </Title>
          <Stack component="ol" gap={2} m={0} p={0} style={{ listStyle: "none" }}>
            {decisions.data.map((a) => (
              <Text component="li" key={a.id} size="xs">
                <Text span c="dimmed">
                  {when(a.decided_at)}
                </Text>{" "}
                <Text span fw={600}>
                  {a.user_name ?? t("routing.why.queue")}
                </Text>{" "}
                · {howDecided(a, context(a), t)} ·{" "}
                {a.ended_at
                  ? t("routing.why.ended", {
                      time: when(a.ended_at),
                      reason: t(`routing.why.ends.${a.end_reason ?? ""}`, { defaultValue: a.end_reason ?? "" }),
                    })
                  : t("routing.why.current")}
              </Text>
            ))}
          </Stack>
        </Box>
      )}
    </Stack>
  );
}
