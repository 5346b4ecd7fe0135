// Settings → SLA policies: targets per team and priority (first response, next response,
// resolution) in minutes or hours, counted in business hours or calendar time.
import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Switch, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { type Amount, type Unit, toAmount, toMinutes } from "../sla/minutes";
import { Confirm } from "./Confirm";

type Policy = Schemas["SlaPolicyRead"];
type Priority = "low" | "normal" | "high" | "urgent";
const TARGETS = ["first_response", "next_response", "resolution"] as const;
type Target = (typeof TARGETS)[number];
const PRIORITIES: Priority[] = ["urgent", "high", "normal", "low"];
const KEY = ["sla-policies"];

function problem(t: (k: string) => string, error: unknown): string {
  if (error instanceof ApiError && error.status === 409) return t("sla.settings.taken");
  if (error instanceof ApiError && error.status === 403) return t("admin.errors.forbidden");
  return errorMessage(error);
}

export function SlaPolicies() {
  const { t } = useTranslation();
  const policies = useQuery({ queryKey: KEY, queryFn: () => unwrap(api.GET("/api/v1/sla-policies")) });
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const teamName = (id: string | null) => (id ? (teams.data?.find((x) => x.id === id)?.name ?? "—") : t("sla.settings.allTeams"));
  const [editing, setEditing] = useState<Policy | null>(null);
  const [deleting, setDeleting] = useState<Policy | null>(null);
  const targetText = (p: Policy, target: Target) => {
    const minutes = p[`${target}_minutes`];
    if (!minutes) return "—";
    const amount = toAmount(minutes);
    return t(`sla.settings.amount.${amount.unit}`, { count: Number(amount.value) });
  };
  return (
    <Stack>
      <Text size="sm" c="dimmed" maw={720}>
        {t("sla.settings.explained")}
      </Text>
      <PolicyForm />
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-label={t("sla.settings.title")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("sla.settings.name")}</Table.Th>
              <Table.Th>{t("sla.settings.team")}</Table.Th>
              <Table.Th>{t("sla.settings.priority")}</Table.Th>
              {TARGETS.map((target) => (
                <Table.Th key={target}>{t(`sla.target.${target}`)}</Table.Th>
              ))}
              <Table.Th>{t("sla.settings.clock")}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(policies.data ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{teamName(p.team_id)}</Table.Td>
                <Table.Td>{p.priority ? t(`priority.${p.priority}`) : t("sla.settings.anyPriority")}</Table.Td>
                {TARGETS.map((target) => (
                  <Table.Td key={target}>{targetText(p, target)}</Table.Td>
                ))}
                <Table.Td>{p.is_business_hours ? t("sla.settings.businessHours") : t("sla.settings.calendar")}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => setEditing(p)} aria-label={t("admin.editOne", { name: p.name })}>
                      {t("admin.edit")}
                    </Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(p)} aria-label={t("admin.deleteOne", { name: p.name })}>
                      {t("admin.delete")}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && (
        <Modal opened onClose={() => setEditing(null)} size="lg" title={t("admin.editOne", { name: editing.name })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
          <PolicyForm policy={editing} onDone={() => setEditing(null)} />
        </Modal>
      )}
      {deleting && <DeletePolicy policy={deleting} onDone={() => setDeleting(null)} />}
    </Stack>
  );
}

function PolicyForm({ policy, onDone }: { policy?: Policy; onDone?: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")) });
  const [name, setName] = useState(policy?.name ?? "");
  const [team, setTeam] = useState<string>(policy?.team_id ?? "");
  const [priority, setPriority] = useState<string>(policy?.priority ?? "");
  const [amounts, setAmounts] = useState<Record<Target, Amount>>(() => ({
    first_response: toAmount(policy?.first_response_minutes),
    next_response: toAmount(policy?.next_response_minutes),
    resolution: toAmount(policy?.resolution_minutes),
  }));
  const [business, setBusiness] = useState(policy?.is_business_hours ?? true);
  const [risk, setRisk] = useState<number | string>(policy?.at_risk_percent ?? 80);
  const save = useMutation({
    mutationFn: () => {
      const body = {
        name,
        team_id: team || null,
        priority: (priority || null) as Priority | null,
        first_response_minutes: toMinutes(amounts.first_response),
        next_response_minutes: toMinutes(amounts.next_response),
        resolution_minutes: toMinutes(amounts.resolution),
        is_business_hours: business,
        at_risk_percent: Number(risk) || 80,
      };
      return policy
        ? unwrap(api.PATCH("/api/v1/sla-policies/{sla_policy_id}", { params: { path: { sla_policy_id: policy.id } }, body }))
        : unwrap(api.POST("/api/v1/sla-policies", { body }));
    },
    onSuccess: () => {
      if (!policy) {
        setName("");
        setTeam("");
        setPriority("");
        setBusiness(true);
        setRisk(80);
        setAmounts({ first_response: toAmount(null), next_response: toAmount(null), resolution: toAmount(null) });
      }
      void queries.invalidateQueries({ queryKey: KEY });
      onDone?.();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const setAmount = (target: Target, change: Partial<Amount>) => setAmounts((a) => ({ ...a, [target]: { ...a[target], ...change } }));
  const none = TARGETS.every((target) => toMinutes(amounts[target]) === null);
  return (
    <Stack component="form" onSubmit={submit} gap="xs" maw={720} aria-label={policy ? t("admin.editOne", { name: policy.name }) : t("sla.settings.new")}>
      <Group grow align="flex-start" wrap="wrap">
        <TextInput label={t("sla.settings.name")} required maxLength={80} value={name} onChange={(e) => setName(e.currentTarget.value)} miw={160} />
        <Select
          label={t("sla.settings.team")}
          data={[{ value: "", label: t("sla.settings.allTeams") }, ...(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))]}
          value={team}
          onChange={(v) => setTeam(v ?? "")}
          allowDeselect={false}
          miw={140}
        />
        <Select
          label={t("sla.settings.priority")}
          data={[{ value: "", label: t("sla.settings.anyPriority") }, ...PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))]}
          value={priority}
          onChange={(v) => setPriority(v ?? "")}
          allowDeselect={false}
          miw={140}
        />
      </Group>
      <Group grow align="flex-end" wrap="wrap">
        {TARGETS.map((target) => (
          <Group key={target} gap={4} wrap="nowrap" align="flex-end" miw={200}>
            <NumberInput
              label={t(`sla.target.${target}`)}
              min={1}
              allowDecimal={amounts[target].unit === "hours"}
              value={amounts[target].value}
              onChange={(v) => setAmount(target, { value: v === "" ? "" : Number(v) })}
              style={{ flex: 1 }}
            />
            <Select
              aria-label={t("sla.settings.unitOf", { target: t(`sla.target.${target}`) })}
              data={(["minutes", "hours"] as Unit[]).map((u) => ({ value: u, label: t(`sla.settings.unit.${u}`) }))}
              value={amounts[target].unit}
              onChange={(v) => v && setAmount(target, { unit: v as Unit })}
              allowDeselect={false}
              w={100}
            />
          </Group>
        ))}
      </Group>
      <Group align="flex-end" wrap="wrap">
        <Switch label={t("sla.settings.businessHoursSwitch")} checked={business} onChange={(e) => setBusiness(e.currentTarget.checked)} />
        <NumberInput label={t("sla.settings.atRisk")} min={10} max={99} suffix=" %" value={risk} onChange={setRisk} w={160} />
      </Group>
      {none && <Text size="xs" c="dimmed">{t("sla.settings.needsTarget")}</Text>}
      {save.error && <Alert color="red">{problem(t, save.error)}</Alert>}
      <Group>
        {onDone && (
          <Button variant="default" onClick={onDone}>
            {t("admin.cancel")}
          </Button>
        )}
        <Button type="submit" loading={save.isPending} disabled={none}>
          {policy ? t("admin.save") : t("sla.settings.add")}
        </Button>
      </Group>
    </Stack>
  );
}

function DeletePolicy({ policy, onDone }: { policy: Policy; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/sla-policies/{sla_policy_id}", { params: { path: { sla_policy_id: policy.id } } })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: KEY });
      onDone();
    },
  });
  return (
    <Confirm
      title={t("sla.settings.deleteTitle", { name: policy.name })}
      confirm={t("admin.delete")}
      pending={remove.isPending}
      error={remove.error ? problem(t, remove.error) : null}
      onConfirm={() => remove.mutate()}
      onCancel={onDone}
    >
      {t("sla.settings.deleteExplained")}
    </Confirm>
  );
}
