// Saved views under the built-in ones, with live counts; save, rename, refilter, share, delete.
import { ActionIcon, Alert, Badge, Box, Button, Group, Modal, Select, Stack, Switch, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SlaFilter } from "../sla/SlaFilter";
import { type Me, type Schemas, api, errorMessage, unwrap } from "../api/client";
import { useMembers } from "../hooks/useMembers";
import { type InboxFilters, type Priority, type SavedView, type ViewFilters, UNASSIGNED, mayChange, sameFilters } from "./views";
import { Menu } from "../components/Menu";

const PRIORITIES: Priority[] = ["urgent", "high", "normal", "low"];

interface Props {
  me: Me;
  /** The saved view the inbox shows, if any. */
  selected: string | null;
  /** What the inbox shows now, as a view would save it. */
  current: ViewFilters;
  onSelect: (view: SavedView) => void;
  /** The selected view was deleted or is no longer shared with the caller. */
  onGone: () => void;
}

type Editing = { mode: "create" } | { mode: "rename"; view: SavedView };

export function SavedViews({ me, selected, current, onSelect, onGone }: Props) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const views = useQuery({ queryKey: ["saved-views"], queryFn: () => unwrap(api.GET("/api/v1/views")) });
  // Under "counts": the live socket refreshes every count when conversations change.
  const counts = useQuery({ queryKey: ["counts", "views"], queryFn: () => unwrap(api.GET("/api/v1/views/counts")) });
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: ["saved-views"] });
    void queries.invalidateQueries({ queryKey: ["counts", "views"] });
  };
  const list = views.data ?? [];
  // Forget the selected view once a list that had it no longer does (deleted, or unshared).
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (!selected || !views.data) return;
    if (views.data.some((v) => v.id === selected)) seen.current = selected;
    else if (seen.current === selected) onGone();
  }, [selected, views.data, onGone]);

  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const role = me.workspace?.role;
  const admin = role === "owner" || role === "manager";
  const change = useMutation({
    mutationFn: ({ view, body }: { view: SavedView; body: Schemas["SavedViewUpdate"] }) =>
      unwrap(api.PATCH("/api/v1/views/{view_id}", { params: { path: { view_id: view.id } }, body })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (view: SavedView) => unwrap(api.DELETE("/api/v1/views/{view_id}", { params: { path: { view_id: view.id } } })),
    onSuccess: () => {
      setDeleting(null);
      refresh();
    },
  });
  const active = list.find((v) => v.id === selected);
  const dirty = active !== undefined && mayChange(active, me.user.id, role) && !sameFilters(active.filters, current);

  return (
    <Box mt="xs" component="nav" aria-label={t("savedViews.title")}>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase">
          {t("savedViews.title")}
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={() => setEditing({ mode: "create" })}>
          {t("savedViews.save")}
        </Button>
      </Group>
      <Stack gap={2} mah={160} style={{ overflowY: "auto" }}>
        {list.map((view) => (
          <Group key={view.id} gap={2} wrap="nowrap">
            <UnstyledButton
              onClick={() => onSelect(view)}
              aria-pressed={view.id === selected}
              px={6}
              py={3}
              style={{
                flex: 1,
                minWidth: 0,
                borderRadius: 4,
                background: view.id === selected ? "var(--mantine-color-teal-0)" : undefined,
              }}
            >
              <Group justify="space-between" wrap="nowrap" gap={6}>
                <Text size="sm" fw={view.id === selected ? 700 : 500} truncate>
                  {view.name}
                </Text>
                <Group gap={4} wrap="nowrap">
                  {view.is_shared && (
                    <Badge size="xs" variant="outline" color="gray">
                      {t("savedViews.shared")}
                    </Badge>
                  )}
                  <Badge size="sm" variant="light" color="gray">
                    {counts.data?.counts[view.id] ?? 0}
                  </Badge>
                </Group>
              </Group>
            </UnstyledButton>
            {mayChange(view, me.user.id, role) && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t("savedViews.actions", { name: view.name })}>
                    ⋯
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => setEditing({ mode: "rename", view })}>{t("savedViews.rename")}</Menu.Item>
                  <Menu.Item onClick={() => change.mutate({ view, body: { filters: current } })}>{t("savedViews.useCurrentFilters")}</Menu.Item>
                  {admin && (
                    <Menu.Item onClick={() => change.mutate({ view, body: { is_shared: !view.is_shared } })}>
                      {view.is_shared ? t("savedViews.stopSharing") : t("savedViews.shareWithWorkspace")}
                    </Menu.Item>
                  )}
                  <Menu.Item color="red" onClick={() => setDeleting(view)}>
                    {t("savedViews.delete")}
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        ))}
      </Stack>
      {dirty && active && (
        <Button mt={4} size="compact-xs" variant="light" fullWidth onClick={() => change.mutate({ view: active, body: { filters: current } })}>
          {t("savedViews.updateView", { name: active.name })}
        </Button>
      )}
      {change.error && (
        <Alert color="red" mt={4} p="xs">
          {errorMessage(change.error)}
        </Alert>
      )}
      {editing && (
        <NameDialog
          editing={editing}
          admin={admin}
          current={current}
          onClose={() => setEditing(null)}
          onSaved={(view) => {
            setEditing(null);
            queries.setQueryData<SavedView[]>(["saved-views"], (old = []) => [...old.filter((v) => v.id !== view.id), view]);
            refresh();
            if (editing.mode === "create") onSelect(view);
          }}
        />
      )}
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t("savedViews.deleteTitle")}>
        {deleting && (
          <Stack>
            <Text size="sm">{t(deleting.is_shared ? "savedViews.deleteShared" : "savedViews.deletePrivate", { name: deleting.name })}</Text>
            {remove.error && <Alert color="red">{errorMessage(remove.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)}>
                {t("savedViews.cancel")}
              </Button>
              <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(deleting)}>
                {t("savedViews.delete")}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Box>
  );
}

function NameDialog(props: {
  editing: Editing;
  admin: boolean;
  current: ViewFilters;
  onClose: () => void;
  onSaved: (view: SavedView) => void;
}) {
  const { editing, admin, current, onClose, onSaved } = props;
  const { t } = useTranslation();
  const [name, setName] = useState(editing.mode === "rename" ? editing.view.name : "");
  const [shared, setShared] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      editing.mode === "rename"
        ? unwrap(api.PATCH("/api/v1/views/{view_id}", { params: { path: { view_id: editing.view.id } }, body: { name } }))
        : unwrap(api.POST("/api/v1/views", { body: { name, is_shared: shared, filters: current } })),
    onSuccess: onSaved,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) save.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={editing.mode === "rename" ? t("savedViews.renameTitle") : t("savedViews.saveTitle")}>
      <Stack component="form" onSubmit={submit}>
        <TextInput label={t("savedViews.name")} required maxLength={80} data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} />
        {editing.mode === "create" && admin && (
          <Switch
            label={t("savedViews.shareWithWorkspace")}
            description={t("savedViews.shareHint")}
            checked={shared}
            onChange={(e) => setShared(e.currentTarget.checked)}
          />
        )}
        {editing.mode === "create" && !admin && (
          <Text size="xs" c="dimmed">
            {t("savedViews.privateHint")}
          </Text>
        )}
        {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("savedViews.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t("savedViews.saveButton")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The assignee (a member, or nobody) and priority filters, next to channel, team and tag. */
export function AssigneeAndPriority({ filters, onChange }: { filters: InboxFilters; onChange: (f: InboxFilters) => void }) {
  const { t } = useTranslation();
  const { items } = useMembers();
  const assignees = [
    { value: UNASSIGNED, label: t("inbox.unassigned") },
    ...items.filter((m) => m.role !== "viewer" && m.is_active).map((m) => ({ value: m.user_id, label: m.name })),
  ];
  const priority = filters.priorities?.length === 1 ? filters.priorities[0] : undefined;
  return (
    <Group mt={6} gap={6} grow>
      <Select
        size="xs"
        clearable
        searchable
        aria-label={t("savedViews.assignee")}
        placeholder={t("savedViews.assignee")}
        data={assignees}
        value={filters.assignee_id ?? null}
        onChange={(v) => onChange({ ...filters, assignee_id: v ?? undefined })}
      />
      <Select
        size="xs"
        clearable
        aria-label={t("savedViews.priority")}
        placeholder={t("savedViews.priority")}
        data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
        value={priority ?? null}
        onChange={(v) => onChange({ ...filters, priorities: v ? [v as Priority] : undefined })}
      />
      <SlaFilter value={filters.sla} onChange={(sla) => onChange({ ...filters, sla })} />
    </Group>
  );
}
