// Members of the workspace: invite, change role and languages, disable, enable or remove.
import { Alert, Badge, Button, Group, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, errorMessage, unwrap } from "../api/client";
import { isTeamless } from "../components/NoTeamNotice";
import { memberProblem } from "./adminErrors";
import { Confirm } from "./Confirm";
import { LanguagesInput } from "./LanguagesInput";
import { ClientScopeInput, NO_SCOPE, type ScopeIds, scopeBody, scopeIds } from "./ClientScope";

export type Member = Schemas["MemberRead"];
type Role = "owner" | "manager" | "agent" | "viewer";
const ROLES: Role[] = ["owner", "manager", "agent", "viewer"];

export function useMembers() {
  return useQuery({ queryKey: ["members"], queryFn: () => unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100 } } })) });
}

type Pending = { member: Member; action: "disable" | "remove" };

export function Members() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const members = useMembers();
  const [pending, setPending] = useState<Pending | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: ["members"] });
  const changeRole = useMutation({
    mutationFn: (v: { userId: string; role: Role }) =>
      unwrap(api.PATCH("/api/v1/members/{user_id}", { params: { path: { user_id: v.userId } }, body: { role: v.role } })),
    onSettled: refresh,
  });
  const enable = useMutation({
    mutationFn: (userId: string) => unwrap(api.POST("/api/v1/members/{user_id}/enable", { params: { path: { user_id: userId } } })),
    onSettled: refresh,
  });
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }));
  const error = changeRole.error ?? enable.error;
  return (
    <Stack>
      <Invite />
      {error && <Alert color="red">{memberProblem(t, error)}</Alert>}
      <Table.ScrollContainer minWidth={960}>
        <Table striped aria-label={t("settings.members")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("contact.name")}</Table.Th>
              <Table.Th>{t("settings.role")}</Table.Th>
              <Table.Th>{t("admin.members.languages")}</Table.Th>
              <Table.Th>{t("clientAccess.column")}</Table.Th>
              <Table.Th>{t("admin.members.status")}</Table.Th>
              <Table.Th>{t("admin.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(members.data?.items ?? []).map((m) => (
              <Table.Tr key={m.user_id}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {m.name}
                    {isTeamless(m) && (
                      <Badge ml="xs" size="sm" color="yellow" variant="light">
                        {t("onboarding.noTeam.badge")}
                      </Badge>
                    )}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {m.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    w={130}
                    aria-label={t("settings.roleOf", { name: m.name })}
                    data={roleOptions}
                    value={m.role}
                    allowDeselect={false}
                    onChange={(r) => r && changeRole.mutate({ userId: m.user_id, role: r as Role })}
                  />
                </Table.Td>
                <Table.Td miw={200}>
                  <LanguagesInput member={m} />
                </Table.Td>
                <Table.Td miw={200}>
                  {m.role === "viewer" ? (
                    <MemberScope member={m} />
                  ) : (
                    <Text size="xs" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={m.is_active ? "teal" : "gray"}>
                    {m.is_active ? t("admin.members.active") : t("admin.members.disabled")}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {m.is_active ? (
                      <Button size="xs" variant="subtle" color="gray" onClick={() => setPending({ member: m, action: "disable" })} aria-label={t("admin.members.disableOne", { name: m.name })}>
                        {t("admin.members.disable")}
                      </Button>
                    ) : (
                      <Button size="xs" variant="subtle" loading={enable.isPending && enable.variables === m.user_id} onClick={() => enable.mutate(m.user_id)} aria-label={t("admin.members.enableOne", { name: m.name })}>
                        {t("admin.members.enable")}
                      </Button>
                    )}
                    <Button size="xs" variant="subtle" color="red" onClick={() => setPending({ member: m, action: "remove" })} aria-label={t("admin.members.removeOne", { name: m.name })}>
                      {t("admin.members.remove")}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pending && <ConfirmMember pending={pending} onDone={() => setPending(null)} />}
    </Stack>
  );
}

/** A viewer's client access, saved as soon as a team or channel is added or removed. */
function MemberScope({ member }: { member: Member }) {
  const queries = useQueryClient();
  const { t } = useTranslation();
  const [draft, setDraft] = useState<ScopeIds | null>(null);
  const save = useMutation({
    mutationFn: (scope: ScopeIds) =>
      unwrap(
        api.PATCH("/api/v1/members/{user_id}", {
          params: { path: { user_id: member.user_id } },
          body: { client_scope: scopeBody(scope) },
        }),
      ),
    onSettled: async () => {
      await queries.invalidateQueries({ queryKey: ["members"] });
      setDraft(null);
    },
  });
  return (
    <Stack gap={4}>
      <ClientScopeInput
        name={member.name}
        value={draft ?? scopeIds(member.client_scope)}
        onChange={(next) => {
          setDraft(next);
          save.mutate(next);
        }}
      />
      {save.error && (
        <Text size="xs" c="red">
          {memberProblem(t, save.error)}
        </Text>
      )}
    </Stack>
  );
}

function ConfirmMember({ pending, onDone }: { pending: Pending; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const { member, action } = pending;
  const path = { params: { path: { user_id: member.user_id } } };
  const run = useMutation({
    mutationFn: () =>
      action === "disable"
        ? unwrap(api.POST("/api/v1/members/{user_id}/disable", path))
        : unwrap(api.DELETE("/api/v1/members/{user_id}", path)),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["members"] });
      void queries.invalidateQueries({ queryKey: ["teams"] });
      onDone();
    },
  });
  return (
    <Confirm
      title={t(`admin.members.${action}Title`, { name: member.name })}
      confirm={t(`admin.members.${action}`)}
      color={action === "disable" ? "orange" : "red"}
      pending={run.isPending}
      error={run.error ? memberProblem(t, run.error) : null}
      onConfirm={() => run.mutate()}
      onCancel={onDone}
    >
      {t(`admin.members.${action}Explained`, { name: member.name })}
    </Confirm>
  );
}

function Invite() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const invitations = useQuery({ queryKey: ["invitations"], queryFn: () => unwrap(api.GET("/api/v1/invitations")) });
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [scope, setScope] = useState<ScopeIds>(NO_SCOPE);
  const invite = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/invitations", {
          body: { email, role, client_scope: role === "viewer" ? scopeBody(scope) : null },
        }),
      ),
    onSuccess: () => {
      setEmail("");
      setScope(NO_SCOPE);
      void queries.invalidateQueries({ queryKey: ["invitations"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  const waiting = invitations.data ?? [];
  return (
    <>
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="wrap">
          <TextInput label={t("settings.inviteEmail")} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <Select
            label={t("settings.role")}
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={role}
            onChange={(r) => setRole((r as Role) ?? "agent")}
            allowDeselect={false}
          />
          <Button type="submit" loading={invite.isPending}>
            {t("settings.invite")}
          </Button>
        </Group>
        {role === "viewer" && (
          <Group mt="xs">
            <ClientScopeInput value={scope} onChange={setScope} />
          </Group>
        )}
      </form>
      {invite.error && <Alert color="red">{errorMessage(invite.error)}</Alert>}
      {waiting.length > 0 && (
        <Text size="sm" c="dimmed">
          {t("settings.pending", { emails: waiting.map((i) => i.email).join(", ") })}
        </Text>
      )}
    </>
  );
}
