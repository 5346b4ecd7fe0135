// Settings → Audit log: who changed what in the workspace, newest first, with filters; owners
// also decide here whether every member must sign in with two-factor.
import { Alert, Button, Group, Select, Stack, Switch, Table, Text, TextInput, Title } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { useMe } from "../App";
import { dayStart, detailText } from "./auditText";
import { useMembers } from "./Members";

type Entry = Schemas["AuditLogRead"];

const GROUPS = [
  "agent",
  "api_token",
  "business_hours",
  "canned_response",
  "channel",
  "contact",
  "custom_field",
  "invitation",
  "member",
  "routing",
  "saved_view",
  "sign_in",
  "tag",
  "team",
  "two_factor",
  "workspace",
] as const;

export function AuditLog() {
  const { t } = useTranslation();
  const me = useMe();
  const members = useMembers();
  const [actor, setActor] = useState<string | null>(null);
  const [group, setGroup] = useState<string | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const query = { actor_user_id: actor ?? undefined, action: group ?? undefined, since: dayStart(from), until: dayStart(to, 1) };
  const log = useInfiniteQuery({
    queryKey: ["audit-log", query],
    queryFn: ({ pageParam }) => unwrap(api.GET("/api/v1/audit-log", { params: { query: { ...query, limit: 50, cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
  const names = new Map((members.data?.items ?? []).map((m) => [m.user_id, m.name]));
  const describe = (e: Entry) => {
    const target = (e.target_type === "user" && e.target_id && names.get(e.target_id)) || String(e.details.email ?? e.target_id ?? "");
    const state = typeof e.details.state === "string" ? t(`routing.states.${e.details.state}`) : "";
    return t(`security.audit.actions.${e.action}`, { target, state, defaultValue: e.action });
  };
  const who = (e: Entry) => e.actor_name ?? (e.actor_token_id ? t("security.audit.token") : t("security.audit.system"));
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];
  const when = new Intl.DateTimeFormat(me.data?.user.language ?? undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Stack gap="md">
      {me.data?.workspace?.role === "owner" && <Requirement />}
      <Title order={3} size="h5">
        {t("security.audit.title")}
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t("security.audit.actor")}
          placeholder={t("security.audit.anyone")}
          clearable
          searchable
          w={200}
          data={(members.data?.items ?? []).map((m) => ({ value: m.user_id, label: m.name }))}
          value={actor}
          onChange={setActor}
        />
        <Select
          label={t("security.audit.action")}
          placeholder={t("security.audit.anyAction")}
          clearable
          w={220}
          data={GROUPS.map((g) => ({ value: g, label: t(`security.audit.groups.${g}`) }))}
          value={group}
          onChange={setGroup}
        />
        <TextInput label={t("security.audit.from")} type="date" w={160} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        <TextInput label={t("security.audit.to")} type="date" w={160} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
      </Group>
      {log.error && <Alert color="red">{errorMessage(log.error)}</Alert>}
      {log.isSuccess && entries.length === 0 && <Text c="dimmed">{t("security.audit.empty")}</Text>}
      {entries.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("security.audit.when")}</Table.Th>
                <Table.Th>{t("security.audit.who")}</Table.Th>
                <Table.Th>{t("security.audit.what")}</Table.Th>
                <Table.Th>{t("security.audit.details")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{when.format(new Date(e.created_at))}</Table.Td>
                  <Table.Td>{who(e)}</Table.Td>
                  <Table.Td>{describe(e)}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed" style={{ wordBreak: "break-word" }}>
                      {detailText(e.details)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {log.hasNextPage && (
        <Button variant="light" w="fit-content" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {t("security.audit.more")}
        </Button>
      )}
    </Stack>
  );
}

function Requirement() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const current = useQuery({ queryKey: ["two-factor-requirement"], queryFn: () => unwrap(api.GET("/api/v1/workspaces/current/two-factor")) });
  const change = useMutation({
    mutationFn: (required: boolean) => unwrap(api.PUT("/api/v1/workspaces/current/two-factor", { body: { required } })),
    onSuccess: () =>
      Promise.all(["two-factor-requirement", "me", "audit-log"].map((key) => queries.invalidateQueries({ queryKey: [key] }))),
  });
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t("security.requirement.title")}
      </Title>
      <Text size="sm">{t("security.requirement.help")}</Text>
      <Switch
        label={t("security.requirement.label")}
        checked={current.data?.required ?? false}
        disabled={!current.data || change.isPending}
        onChange={(e) => change.mutate(e.currentTarget.checked)}
      />
      {change.error && <Alert color="red">{errorMessage(change.error)}</Alert>}
    </Stack>
  );
}
