// Teams: create, rename, archive or restore, delete, and who is in each (with their languages).
import { Alert, Badge, Button, Group, Modal, Select, Stack, Switch, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError, type Schemas, api, unwrap } from "../api/client";
import { adminProblem } from "./adminErrors";
import { Confirm } from "./Confirm";
import { LanguagesInput } from "./LanguagesInput";
import { type Member, useMembers } from "./Members";
import { TeamLeadSwitch } from "../supervision/TeamLeadSwitch";

type Team = Schemas["TeamRead"];

/** A team with work in hand (a 409 not about its name) in words; other refusals as usual. */
function teamProblem(t: TFunction, error: unknown, busy: string): string {
  if (error instanceof ApiError && error.status === 409 && error.field !== "name") return t(busy);
  return adminProblem(t, error, "team");
}

function useAllTeams() {
  return useQuery({
    queryKey: ["teams", "all"],
    queryFn: () => unwrap(api.GET("/api/v1/teams", { params: { query: { include_archived: true } } })),
  });
}

function useRefreshTeams() {
  const queries = useQueryClient();
  return () => void queries.invalidateQueries({ queryKey: ["teams"] });
}

export function Teams() {
  const { t } = useTranslation();
  const teams = useAllTeams();
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Team | null>(null);
  const [staffing, setStaffing] = useState<string | null>(null);
  const [archiving, setArchiving] = useState<Team | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const all = teams.data ?? [];
  const shown = all.filter((team) => showArchived || !team.archived_at);
  const archivedCount = all.filter((team) => team.archived_at).length;
  const staffed = all.find((team) => team.id === staffing) ?? null;
  return (
    <Stack>
      <NewTeam />
      {archivedCount > 0 && (
        <Switch
          label={t("admin.teams.showArchived", { count: archivedCount })}
          checked={showArchived}
          onChange={(e) => setShowArchived(e.currentTarget.checked)}
        />
      )}
      {teams.error && <Alert color="red">{adminProblem(t, teams.error, "team")}</Alert>}
      {teams.isSuccess && all.length === 0 && <Text c="dimmed">{t("admin.teams.empty")}</Text>}
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-label={t("settings.teams")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("admin.teams.name")}</Table.Th>
              <Table.Th>{t("admin.teams.members")}</Table.Th>
              <Table.Th>{t("admin.teams.work")}</Table.Th>
              <Table.Th>{t("admin.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((team) => (
              <Table.Tr key={team.id}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text fw={600} size="sm">
                      {team.name}
                    </Text>
                    {team.archived_at && (
                      <Badge size="sm" color="gray" variant="light">
                        {t("admin.archived")}
                      </Badge>
                    )}
                  </Group>
                  {team.description && (
                    <Text size="xs" c="dimmed">
                      {team.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{team.members.map((m) => m.name).join(", ") || t("admin.teams.nobody")}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {t("admin.teams.counts", { channels: team.channel_count, conversations: team.open_conversation_count })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="wrap">
                    <Button size="xs" variant="light" onClick={() => setStaffing(team.id)} aria-label={t("admin.teams.membersOf", { name: team.name })}>
                      {t("admin.teams.members")}
                    </Button>
                    <Button size="xs" variant="subtle" onClick={() => setEditing(team)} aria-label={t("admin.editOne", { name: team.name })}>
                      {t("admin.edit")}
                    </Button>
                    <ArchiveButton team={team} onArchive={() => setArchiving(team)} />
                    <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(team)} aria-label={t("admin.deleteOne", { name: team.name })}>
                      {t("admin.delete")}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {editing && <EditTeam team={editing} onDone={() => setEditing(null)} />}
      {staffed && <TeamMembers team={staffed} onDone={() => setStaffing(null)} />}
      {archiving && <ArchiveTeam team={archiving} onDone={() => setArchiving(null)} />}
      {deleting && <DeleteTeam team={deleting} onDone={() => setDeleting(null)} onArchive={() => setArchiving(deleting)} />}
    </Stack>
  );
}

function NewTeam() {
  const { t } = useTranslation();
  const refresh = useRefreshTeams();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/teams", { body: { name: name.trim(), description: description.trim(), user_ids: [] } })),
    onSuccess: () => {
      setName("");
      setDescription("");
      refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" maw={640} aria-label={t("admin.teams.new")}>
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t("settings.teamName")} required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput
          label={t("admin.teams.description")}
          maxLength={500}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 200 }}
        />
        <Button type="submit" loading={create.isPending}>
          {t("admin.teams.create")}
        </Button>
      </Group>
      {create.error && <Alert color="red">{adminProblem(t, create.error, "team")}</Alert>}
    </Stack>
  );
}

function ArchiveButton({ team, onArchive }: { team: Team; onArchive: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshTeams();
  const restore = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/teams/{team_id}/restore", { params: { path: { team_id: team.id } } })),
    onSuccess: refresh,
  });
  if (!team.archived_at) {
    return (
      <Button size="xs" variant="subtle" color="gray" onClick={onArchive} aria-label={t("admin.archiveOne", { name: team.name })}>
        {t("admin.archive")}
      </Button>
    );
  }
  return (
    <Button size="xs" variant="subtle" loading={restore.isPending} onClick={() => restore.mutate()} aria-label={t("admin.restoreOne", { name: team.name })}>
      {t("admin.restore")}
    </Button>
  );
}

function EditTeam({ team, onDone }: { team: Team; onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshTeams();
  const [name, setName] = useState(team.name);
  const [description, setDescription] = useState(team.description);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH("/api/v1/teams/{team_id}", {
          params: { path: { team_id: team.id } },
          body: { name: name.trim(), description: description.trim() },
        }),
      ),
    onSuccess: () => {
      refresh();
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Modal opened onClose={onDone} title={t("admin.teams.editTitle", { name: team.name })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
      <Stack component="form" onSubmit={submit} gap="sm">
        <TextInput label={t("admin.teams.name")} required maxLength={120} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Textarea label={t("admin.teams.description")} maxLength={500} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        {save.error && <Alert color="red">{adminProblem(t, save.error, "team")}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("admin.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
            {t("admin.save")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ArchiveTeam({ team, onDone }: { team: Team; onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshTeams();
  const archive = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/teams/{team_id}/archive", { params: { path: { team_id: team.id } } })),
    onError: refresh,
    onSuccess: () => {
      refresh();
      onDone();
    },
  });
  if (team.channel_count > 0) {
    return (
      <Modal opened onClose={onDone} title={t("admin.teams.archiveTitle", { name: team.name })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
        <Stack gap="sm">
          <Text size="sm">{t("admin.teams.archiveBlocked", { count: team.channel_count })}</Text>
          <Button variant="default" onClick={onDone} w="fit-content" data-autofocus>
            {t("admin.ok")}
          </Button>
        </Stack>
      </Modal>
    );
  }
  return (
    <Confirm
      title={t("admin.teams.archiveTitle", { name: team.name })}
      confirm={t("admin.archive")}
      color="gray"
      pending={archive.isPending}
      error={archive.error ? teamProblem(t, archive.error, "admin.teams.archiveRefused") : null}
      onConfirm={() => archive.mutate()}
      onCancel={onDone}
    >
      {t("admin.teams.archiveExplained")}
    </Confirm>
  );
}

function DeleteTeam({ team, onDone, onArchive }: { team: Team; onDone: () => void; onArchive: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshTeams();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/teams/{team_id}", { params: { path: { team_id: team.id } } })),
    onError: refresh,
    onSuccess: () => {
      refresh();
      onDone();
    },
  });
  const busy = team.channel_count > 0 || team.open_conversation_count > 0;
  if (busy) {
    return (
      <Modal opened onClose={onDone} title={t("admin.teams.deleteTitle", { name: team.name })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
        <Stack gap="sm">
          <Text size="sm">
            {t("admin.teams.deleteBlocked", { channels: team.channel_count, conversations: team.open_conversation_count })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone} data-autofocus>
              {t("admin.cancel")}
            </Button>
            {!team.archived_at && (
              <Button
                color="gray"
                onClick={() => {
                  onDone();
                  onArchive();
                }}
              >
                {t("admin.teams.archiveInstead")}
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    );
  }
  return (
    <Confirm
      title={t("admin.teams.deleteTitle", { name: team.name })}
      confirm={t("admin.delete")}
      pending={remove.isPending}
      error={remove.error ? teamProblem(t, remove.error, "admin.teams.busy") : null}
      onConfirm={() => remove.mutate()}
      onCancel={onDone}
    >
      {t("admin.teams.deleteExplained")}
    </Confirm>
  );
}

function TeamMembers({ team, onDone }: { team: Team; onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefreshTeams();
  const members = useMembers();
  const [chosen, setChosen] = useState<string | null>(null);
  const path = { params: { path: { team_id: team.id } } };
  const add = useMutation({
    mutationFn: (userId: string) => unwrap(api.POST("/api/v1/teams/{team_id}/members", { ...path, body: { user_id: userId } })),
    onSuccess: () => {
      setChosen(null);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) =>
      unwrap(api.DELETE("/api/v1/teams/{team_id}/members/{user_id}", { params: { path: { team_id: team.id, user_id: userId } } })),
    onSuccess: refresh,
  });
  const inTeam = new Set(team.members.map((m) => m.user_id));
  const everyone = members.data?.items ?? [];
  const candidates = everyone.filter((m) => !inTeam.has(m.user_id) && m.role !== "viewer");
  const byId = new Map(everyone.map((m) => [m.user_id, m]));
  const error = add.error ?? remove.error;
  return (
    <Modal opened onClose={onDone} size="lg" title={t("admin.teams.membersTitle", { name: team.name })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("admin.teams.membersHelp")}
        </Text>
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t("admin.teams.addMember")}
            placeholder={t("admin.teams.pickMember")}
            searchable
            data={candidates.map((m) => ({ value: m.user_id, label: m.name }))}
            value={chosen}
            onChange={setChosen}
            nothingFoundMessage={t("admin.teams.nobodyLeft")}
            style={{ flex: 1, minWidth: 200 }}
          />
          <Button disabled={!chosen} loading={add.isPending} onClick={() => chosen && add.mutate(chosen)}>
            {t("admin.teams.add")}
          </Button>
        </Group>
        {error && <Alert color="red">{adminProblem(t, error, "team")}</Alert>}
        {team.members.length === 0 && <Text c="dimmed">{t("admin.teams.nobody")}</Text>}
        <Stack gap="xs" component="ul" style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={t("admin.teams.membersOf", { name: team.name })}>
          {team.members.map((m) => (
            <TeamMemberRow key={m.user_id} name={m.name} member={byId.get(m.user_id)} onRemove={() => remove.mutate(m.user_id)}>
              <TeamLeadSwitch teamId={team.id} userId={m.user_id} name={m.name} lead={m.is_supervisor ?? false} onChanged={refresh} />
            </TeamMemberRow>
          ))}
        </Stack>
      </Stack>
    </Modal>
  );
}

function TeamMemberRow({ name, member, onRemove, children }: { name: string; member: Member | undefined; onRemove: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack component="li" gap={4} p="xs" aria-label={name} style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 8 }}>
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600} size="sm">
          {name}
        </Text>
        <Button size="xs" variant="subtle" color="red" onClick={onRemove} aria-label={t("admin.teams.removeFrom", { name })}>
          {t("admin.teams.remove")}
        </Button>
      </Group>
      {children}
      {member && <LanguagesInput member={member} />}
    </Stack>
  );
}
