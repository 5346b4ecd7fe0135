// A send-message step's files: uploaded as the composer uploads them (POST /api/v1/attachments),
// but for no conversation (`purpose=workflow`), since one workflow sends them in many; any file
// a conversation takes (documents, pictures...), checked by the server, which says why it refuses
// one. Each file is listed by name with a button to remove it.
import { ActionIcon, Alert, Button, FileButton, Group, Stack, Text } from "@mantine/core";
import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, csrfToken, unwrap } from "../../api/client";
import { FileIcon } from "../../components/Icons";
import { FILES_AT_MOST } from "./sending";

type Uploaded = { id: string } | { problem: string };

/** Upload one file for no conversation: its id, or the server's reason for refusing it. */
export async function uploadWorkflowFile(file: File): Promise<Uploaded> {
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("purpose", "workflow");
  const response = await fetch("/api/v1/attachments", { method: "POST", body: form, headers: { "X-CSRF-Token": csrfToken() } });
  const result = (await response.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
  if (response.ok && result.id) return { id: result.id };
  return { problem: result.error?.message ?? response.statusText };
}

export function MessageFiles({ ids, onChange }: { ids: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const files = useQueries({
    queries: ids.map((id) => ({
      queryKey: ["attachment", id],
      queryFn: () => unwrap(api.GET("/api/v1/attachments/{attachment_id}", { params: { path: { attachment_id: id } } })),
      staleTime: 5 * 60_000,
    })),
  });
  const add = async (file: File | null) => {
    if (!file) return;
    setProblem("");
    setBusy(true);
    try {
      const uploaded = await uploadWorkflowFile(file);
      if ("id" in uploaded) onChange([...ids, uploaded.id]);
      else setProblem(t("workflows.editor.files.failed", { reason: uploaded.problem }));
    } catch (error) {
      setProblem(t("workflows.editor.files.failed", { reason: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={4} role="group" aria-label={t("workflows.editor.files.label")}>
      <Text size="sm" fw={500}>
        {t("workflows.editor.files.label")}
      </Text>
      <Text size="xs" c="dimmed">
        {t("workflows.editor.files.hint")}
      </Text>
      {ids.map((id, index) => (
        <Group key={id} gap={4} wrap="nowrap">
          <Text size="sm" style={{ flex: 1, minWidth: 0, overflowWrap: "anywhere" }}>
            <FileIcon /> {files[index]?.data?.name ?? (files[index]?.error ? t("workflows.editor.files.missing") : "…")}
          </Text>
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            aria-label={t("workflows.editor.files.remove", { name: files[index]?.data?.name ?? index + 1 })}
            onClick={() => onChange(ids.filter((other) => other !== id))}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <FileButton onChange={(file) => void add(file)} disabled={busy || ids.length >= FILES_AT_MOST}>
        {(props) => (
          <Button {...props} size="compact-xs" variant="light" style={{ alignSelf: "flex-start" }} loading={busy}>
            {t("workflows.editor.files.add")}
          </Button>
        )}
      </FileButton>
      {problem && (
        <Alert color="red" role="alert" p="xs">
          {problem}
        </Alert>
      )}
    </Stack>
  );
}
