// Canned responses: add, edit (shortcut, title, text) and delete.
import { Alert, Button, Code, Group, Modal, Stack, Table, Text, TextInput, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Schemas, api, unwrap } from "../api/client";
import { adminProblem } from "./adminErrors";
import { Confirm } from "./Confirm";

type CannedResponse = Schemas["CannedResponseRead"];
const VARIABLES = ["contact.name", "contact.first_name", "agent.name", "workspace.name"].map((v) => `{{${v}}}`).join(", ");

export function Canned() {
  const { t } = useTranslation();
  const canned = useQuery({ queryKey: ["canned", ""], queryFn: () => unwrap(api.GET("/api/v1/canned-responses")) });
  const [editing, setEditing] = useState<CannedResponse | null>(null);
  const [deleting, setDeleting] = useState<CannedResponse | null>(null);
  return (
    <Stack>
      <CannedForm />
      <Table.ScrollContainer minWidth={560}>
        <Table striped aria-label={t("settings.canned")}>
          <Table.Tbody>
            {(canned.data ?? []).map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Code>/{c.shortcut}</Code>
                </Table.Td>
                <Table.Td>{c.title}</Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2}>
                    {c.body}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => setEditing(c)} aria-label={t("admin.editOne", { name: c.title })}>
                      {t("admin.edit")}
                    </Button>
                    <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(c)} aria-label={t("admin.deleteOne", { name: c.title })}>
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
        <Modal opened onClose={() => setEditing(null)} size="lg" title={t("admin.editOne", { name: editing.title })} closeButtonProps={{ "aria-label": t("a11y.close") }}>
          <CannedForm canned={editing} onDone={() => setEditing(null)} />
        </Modal>
      )}
      {deleting && <DeleteCanned canned={deleting} onDone={() => setDeleting(null)} />}
    </Stack>
  );
}

/** A new canned response's form, or with `canned`, the form that edits it. */
function CannedForm({ canned, onDone }: { canned?: CannedResponse; onDone?: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [shortcut, setShortcut] = useState(canned?.shortcut ?? "");
  const [title, setTitle] = useState(canned?.title ?? "");
  const [body, setBody] = useState(canned?.body ?? "");
  const save = useMutation({
    mutationFn: () =>
      canned
        ? unwrap(api.PATCH("/api/v1/canned-responses/{canned_response_id}", { params: { path: { canned_response_id: canned.id } }, body: { shortcut, title, body } }))
        : unwrap(api.POST("/api/v1/canned-responses", { body: { shortcut, title, body } })),
    onSuccess: () => {
      if (!canned) {
        setShortcut("");
        setTitle("");
        setBody("");
      }
      void queries.invalidateQueries({ queryKey: ["canned"] });
      onDone?.();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Stack component="form" onSubmit={submit} gap="xs" maw={640}>
      <Group grow align="flex-start">
        <TextInput label={t("settings.shortcut")} required value={shortcut} onChange={(e) => setShortcut(e.currentTarget.value)} data-autofocus />
        <TextInput label={t("settings.cannedTitle")} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
      </Group>
      <Textarea label={t("settings.cannedBody")} description={`${t("settings.variables")} ${VARIABLES}`} required autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
      {save.error && <Alert color="red">{adminProblem(t, save.error, "canned")}</Alert>}
      <Group>
        {onDone && (
          <Button variant="default" onClick={onDone}>
            {t("admin.cancel")}
          </Button>
        )}
        <Button type="submit" loading={save.isPending}>
          {canned ? t("admin.save") : t("settings.addChat")}
        </Button>
      </Group>
    </Stack>
  );
}

function DeleteCanned({ canned, onDone }: { canned: CannedResponse; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/canned-responses/{canned_response_id}", { params: { path: { canned_response_id: canned.id } } })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["canned"] });
      onDone();
    },
  });
  return (
    <Confirm
      title={t("admin.canned.deleteTitle", { name: canned.title })}
      confirm={t("admin.delete")}
      pending={remove.isPending}
      error={remove.error ? adminProblem(t, remove.error, "canned") : null}
      onConfirm={() => remove.mutate()}
      onCancel={onDone}
    >
      {t("admin.canned.deleteExplained")}
    </Confirm>
  );
}
