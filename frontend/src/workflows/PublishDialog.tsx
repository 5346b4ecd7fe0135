// Publishing the draft as a new version, with a note saying what changed. The server checks the
// draft again; its problems (422) are put on the canvas. A webhook's secret is shown once.
import { Alert, Button, Code, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../api/client";
import { WORKFLOWS_KEY } from "./api";
import type { Problem } from "./graph";

interface PublishDialogProps {
  opened: boolean;
  workflowId: string;
  onClose: () => void;
  onPublished: () => void;
  onProblems: (problems: Problem[]) => void;
}

type ErrorBody = { error?: { code?: string; message?: string; details?: { problems?: Problem[] } } };

export function PublishDialog({ opened, workflowId, onClose, onPublished, onProblems }: PublishDialogProps) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [note, setNote] = useState("");
  const publish = useMutation({
    mutationFn: async () => {
      const { data, error, response } = await api.POST("/api/v1/workflows/{workflow_id}/publish", {
        params: { path: { workflow_id: workflowId } },
        body: { note },
      });
      if (response.ok && data) return data;
      const body = (error ?? {}) as ErrorBody;
      const problems = body.error?.details?.problems;
      if (problems?.length) onProblems(problems);
      throw new ApiError(response.status, body.error?.code ?? "error", body.error?.message ?? response.statusText);
    },
    onSuccess: async () => {
      setNote("");
      onPublished();
      await queries.invalidateQueries({ queryKey: WORKFLOWS_KEY });
    },
  });
  const close = () => {
    publish.reset();
    onClose();
  };
  const done = publish.data;
  return (
    <Modal opened={opened} onClose={close} title={t("workflows.publish.title")}>
      {done ? (
        <Stack gap="sm">
          <Alert color="teal" role="status">
            {t("workflows.publish.done", { number: done.number })}
          </Alert>
          {done.webhook_secret && (
            <Stack gap={4}>
              <Text size="sm">{t("workflows.trigger.secretOnce")}</Text>
              <Code block>{done.webhook_secret}</Code>
              {done.webhook_url && <Code block>{done.webhook_url}</Code>}
            </Stack>
          )}
          <Group justify="flex-end">
            <Button onClick={close}>{t("workflows.publish.close")}</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          <Text size="sm">{t("workflows.publish.explain")}</Text>
          <Textarea label={t("workflows.publish.note")} maxLength={300} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {publish.error && (
            <Alert color="red">
              {publish.error instanceof ApiError && publish.error.status === 422 ? t("workflows.publish.problems") : publish.error.message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("workflows.publish.cancel")}
            </Button>
            <Button loading={publish.isPending} onClick={() => publish.mutate()}>
              {t("workflows.publish.confirm")}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
