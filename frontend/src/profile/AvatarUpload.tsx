// The member's own picture: choose an image, see it, and it is uploaded and set at once; or remove it.
import { Alert, Avatar, Button, FileButton, Group, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, csrfToken, errorMessage, unwrap } from "../api/client";

/** The picture types the server accepts for a member's picture. */
export const PICTURE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;

/** Why an upload of a picture failed, as a key of the `picture` catalogue with its values. */
export type PictureProblem = { key: "notImage" } | { key: "tooBig"; megabytes: number } | { key: "failed"; reason: string };

class PictureError extends Error {
  constructor(readonly problem: PictureProblem) {
    super(problem.key);
  }
}

type UploadAnswer = { id?: string; error?: { code?: string; message?: string; details?: { max_bytes?: number } } };

/** What an upload's answer means for the person: the picture's path, or what went wrong. */
export function uploadOutcome(status: number, body: UploadAnswer): { path: string } | PictureProblem {
  if (status === 201 && body.id) return { path: `/api/v1/attachments/${body.id}/thumbnail` };
  if (status === 413) {
    const max = body.error?.details?.max_bytes ?? 0;
    return { key: "tooBig", megabytes: Math.max(1, Math.floor(max / (1024 * 1024))) };
  }
  if (status === 422) return { key: "notImage" };
  return { key: "failed", reason: body.error?.message ?? String(status) };
}

async function uploadPicture(file: File): Promise<string> {
  if (!(PICTURE_TYPES as readonly string[]).includes(file.type)) throw new PictureError({ key: "notImage" });
  const form = new FormData();
  form.append("file", file, file.name);
  const response = await fetch("/api/v1/attachments", {
    method: "POST",
    body: form,
    headers: { "X-CSRF-Token": csrfToken() },
  });
  const body = (await response.json().catch(() => ({}))) as UploadAnswer;
  const outcome = uploadOutcome(response.status, body);
  if ("path" in outcome) return outcome.path;
  throw new PictureError(outcome);
}

/** The sentence telling what went wrong, in the person's language. */
function problemText(t: (key: string, values?: Record<string, unknown>) => string, problem: PictureProblem): string {
  if (problem.key === "tooBig") return t("picture.tooBig", { megabytes: problem.megabytes });
  if (problem.key === "notImage") return t("picture.notImage");
  return t("picture.failed", { reason: problem.reason });
}

export function AvatarUpload({ name, current }: { name: string; current: string | null }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);
  const setPicture = async (avatarUrl: string | null) => {
    await unwrap(api.PATCH("/api/v1/me", { body: { avatar_url: avatarUrl } }));
    await queries.invalidateQueries({ queryKey: ["me"] });
  };
  const upload = useMutation({
    mutationFn: async (file: File) => setPicture(await uploadPicture(file)),
    onSettled: () => setPreview(null),
  });
  const remove = useMutation({ mutationFn: () => setPicture(null) });
  const choose = (file: File | null) => {
    if (!file) return;
    remove.reset();
    setPreview(URL.createObjectURL(file));
    upload.mutate(file);
  };
  const error = upload.error ?? remove.error;
  const problem =
    error instanceof PictureError
      ? problemText(t, error.problem)
      : error
        ? t("picture.failed", { reason: errorMessage(error) })
        : null;
  const shown = preview ?? current;
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t("picture.label")}
      </Text>
      <Group gap="sm" wrap="wrap">
        <Avatar src={shown} radius="xl" size="lg" alt={shown ? t("picture.alt", { name }) : undefined}>
          {name.slice(0, 1)}
        </Avatar>
        <FileButton onChange={choose} accept={PICTURE_TYPES.join(",")}>
          {(props) => (
            <Button {...props} variant="light" loading={upload.isPending}>
              {current ? t("picture.change") : t("picture.choose")}
            </Button>
          )}
        </FileButton>
        {current && (
          <Button variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
            {t("picture.remove")}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {t("picture.help")}
      </Text>
      {problem && (
        <Alert color="red" role="alert">
          {problem}
        </Alert>
      )}
    </Stack>
  );
}
