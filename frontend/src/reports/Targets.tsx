// Outcome targets (owners and managers): add one for each agent of a team, a team as a whole or
// one agent; change how many and per what; delete.
import { Alert, Autocomplete, Button, CloseButton, Group, NumberInput, Paper, Select, Stack, Table, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { useMembers } from "../hooks/useMembers";
import type { TargetPeriod } from "./outcomeFormat";
import { type Target, useTargets } from "./outcomeHooks";

type AppliesTo = "each_agent" | "team" | "agent";
const PERIODS: TargetPeriod[] = ["day", "week", "month"];
const SCOPES: AppliesTo[] = ["each_agent", "team", "agent"];

export function TargetsEditor() {
  const { t } = useTranslation();
  const targets = useTargets();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const members = useMembers();
  const teamNames = Object.fromEntries((teams.data ?? []).map((team) => [team.id, team.name]));
  const whom = (target: Target) =>
    t(`outcomes.targets.describe.${target.applies_to}`, {
      name: target.agent_id ? (members.names[target.agent_id] ?? "—") : (teamNames[target.team_id ?? ""] ?? "—"),
    });
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3}>{t("outcomes.targets.title")}</Title>
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label={t("outcomes.targets.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("outcomes.targets.outcome")}</Table.Th>
                <Table.Th>{t("outcomes.targets.appliesTo")}</Table.Th>
                <Table.Th>{t("outcomes.targets.count")}</Table.Th>
                <Table.Th>{t("outcomes.targets.period")}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(targets.data ?? []).map((target) => (
                <TargetRow key={target.id} target={target} name={whom(target)} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <NewTarget teams={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))} />
      </Stack>
    </Paper>
  );
}

function useInvalidate() {
  const queries = useQueryClient();
  return () => void queries.invalidateQueries({ queryKey: ["reports"] });
}

function TargetRow({ target, name }: { target: Target; name: string }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const change = useMutation({
    mutationFn: (body: { count?: number; period?: TargetPeriod }) =>
      unwrap(api.PATCH("/api/v1/reports/targets/{target_id}", { params: { path: { target_id: target.id } }, body })),
    onSuccess: invalidate,
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/reports/targets/{target_id}", { params: { path: { target_id: target.id } } })),
    onSuccess: invalidate,
  });
  const [count, setCount] = useState<number | string>(target.count);
  return (
    <Table.Tr>
      <Table.Td>{target.outcome}</Table.Td>
      <Table.Td>{name}</Table.Td>
      <Table.Td>
        <NumberInput
          aria-label={t("outcomes.targets.editCount", { outcome: target.outcome, name })}
          value={count}
          onChange={setCount}
          onBlur={() => typeof count === "number" && count !== target.count && change.mutate({ count })}
          min={1}
          max={100000}
          allowDecimal={false}
          w={90}
          error={change.error ? errorMessage(change.error) : undefined}
        />
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={t("outcomes.targets.period")}
          data={PERIODS.map((p) => ({ value: p, label: t(`outcomes.targets.periods.${p}`) }))}
          value={target.period}
          onChange={(period) => period && change.mutate({ period: period as TargetPeriod })}
          allowDeselect={false}
          w={120}
        />
      </Table.Td>
      <Table.Td>
        <CloseButton
          onClick={() => remove.mutate()}
          disabled={remove.isPending}
          aria-label={t("outcomes.targets.deleteOne", { outcome: target.outcome, name })}
        />
      </Table.Td>
    </Table.Tr>
  );
}

function NewTarget({ teams }: { teams: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")) });
  const members = useMembers();
  const [outcome, setOutcome] = useState("");
  const [count, setCount] = useState<number | string>(8);
  const [period, setPeriod] = useState<TargetPeriod>("day");
  const [appliesTo, setAppliesTo] = useState<AppliesTo>("each_agent");
  const [subject, setSubject] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/reports/targets", {
          body: {
            outcome,
            count: Number(count),
            period,
            applies_to: appliesTo,
            team_id: appliesTo === "agent" ? null : subject,
            agent_id: appliesTo === "agent" ? subject : null,
          },
        }),
      ),
    onSuccess: () => {
      setOutcome("");
      setSubject(null);
      invalidate();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  const agents = members.items
    .filter((m) => m.role !== "viewer" && m.is_active)
    .map((m) => ({ value: m.user_id, label: m.name }));
  return (
    <Stack component="form" onSubmit={submit} gap="xs">
      <Group align="flex-end" wrap="wrap">
        <Autocomplete
          label={t("outcomes.targets.outcome")}
          required
          maxLength={80}
          data={(tags.data ?? []).filter((tag) => tag.is_outcome).map((tag) => tag.name)}
          value={outcome}
          onChange={setOutcome}
          w={180}
        />
        <NumberInput label={t("outcomes.targets.count")} required min={1} max={100000} allowDecimal={false} value={count} onChange={setCount} w={100} />
        <Select
          label={t("outcomes.targets.period")}
          data={PERIODS.map((p) => ({ value: p, label: t(`outcomes.targets.periods.${p}`) }))}
          value={period}
          onChange={(p) => p && setPeriod(p as TargetPeriod)}
          allowDeselect={false}
          w={120}
        />
        <Select
          label={t("outcomes.targets.appliesTo")}
          data={SCOPES.map((s) => ({ value: s, label: t(`outcomes.targets.scopes.${s}`) }))}
          value={appliesTo}
          onChange={(s) => {
            if (s) setAppliesTo(s as AppliesTo);
            setSubject(null);
          }}
          allowDeselect={false}
          w={210}
        />
        <Select
          label={appliesTo === "agent" ? t("outcomes.targets.agent") : t("outcomes.targets.team")}
          required
          searchable
          data={appliesTo === "agent" ? agents : teams}
          value={subject}
          onChange={setSubject}
          w={200}
        />
        <Button type="submit" loading={add.isPending} disabled={!outcome.trim() || !subject}>
          {t("outcomes.targets.add")}
        </Button>
      </Group>
      {add.error && <Alert color="red">{t("outcomes.targets.failed", { message: errorMessage(add.error) })}</Alert>}
    </Stack>
  );
}
