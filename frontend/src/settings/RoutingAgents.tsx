// Agents' capacity in the routing settings: state, load, and a limit of their own or the default.
import { Alert, Button, Group, NumberInput, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { asNumber } from "../routing/format";
import { type AgentStatus, rememberAgent, useAgentStates } from "../routing/hooks";
import { AgentStateMenu } from "../routing/AgentStateMenu";
import { StateLabel } from "../routing/StateDot";

export function AgentsPart({ defaultCapacity }: { defaultCapacity: number | null }) {
  const { t } = useTranslation();
  const agents = useAgentStates();
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t("routing.settings.agents")}
      </Title>
      {defaultCapacity !== null && (
        <Text size="sm" c="dimmed">
          {t("routing.settings.agentsHelp", { count: defaultCapacity })}
        </Text>
      )}
      {agents.error && <Alert color="red">{errorMessage(agents.error)}</Alert>}
      <Table.ScrollContainer minWidth={560}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("routing.settings.agent")}</Table.Th>
            <Table.Th>{t("routing.settings.status")}</Table.Th>
            <Table.Th>{t("routing.settings.load")}</Table.Th>
            <Table.Th>{t("routing.settings.limit")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(agents.data ?? []).map((agent) => (
            <AgentRow
              key={`${agent.user_id}:${agent.capacity_is_default ? "default" : agent.capacity}`}
              agent={agent}
              defaultCapacity={defaultCapacity}
            />
          ))}
        </Table.Tbody>
      </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function AgentRow({ agent, defaultCapacity }: { agent: AgentStatus; defaultCapacity: number | null }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const initial = agent.capacity_is_default ? null : agent.capacity;
  const [limit, setLimit] = useState<number | null>(initial);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT("/api/v1/agents/{user_id}/capacity", {
          params: { path: { user_id: agent.user_id } },
          body: { capacity: limit, channel_capacity: agent.channel_capacity },
        }),
      ),
    onSuccess: (read) => rememberAgent(queries, read),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Table.Tr>
      <Table.Td>{agent.name}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <StateLabel state={agent.state} reason={agent.reason} />
          <AgentStateMenu agent={agent} />
        </Group>
      </Table.Td>
      <Table.Td>
        {agent.open_conversations}/{agent.capacity}
      </Table.Td>
      <Table.Td>
        <Group component="form" onSubmit={submit} gap="xs" wrap="nowrap">
          <NumberInput
            size="xs"
            w={130}
            min={1}
            max={100}
            aria-label={t("routing.settings.limitOf", { name: agent.name })}
            placeholder={defaultCapacity !== null ? t("routing.settings.defaultLimit", { count: defaultCapacity }) : undefined}
            value={limit ?? ""}
            onChange={(v) => setLimit(asNumber(v))}
            error={save.error ? errorMessage(save.error) : undefined}
          />
          <Button
            size="xs"
            variant="light"
            type="submit"
            disabled={limit === initial}
            loading={save.isPending}
            aria-label={t("routing.settings.saveLimitOf", { name: agent.name })}
          >
            {t("routing.settings.save")}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
