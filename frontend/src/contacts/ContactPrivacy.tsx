// A privacy request about one contact (owners and managers): download everything kept about
// them, or erase them with their conversations, messages and files after a confirmation.
import { Alert, Button, Checkbox, Group, Modal, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { downloadPost } from "./download";

/** Shown to owners and managers only: the server refuses the others anyway. */
export function ContactPrivacy({ contactId, name }: { contactId: string; name: string }) {
  const me = useQuery({ queryKey: ["me"], queryFn: () => unwrap(api.GET("/api/v1/me")) });
  const role = me.data?.workspace?.role;
  if (role !== "owner" && role !== "manager") return null;
  return <PrivacyActions contactId={contactId} name={name} />;
}

function PrivacyActions({ contactId, name }: { contactId: string; name: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [sure, setSure] = useState(false);
  const exporting = useMutation({
    mutationFn: () => downloadPost(`/api/v1/contacts/${contactId}/data-export`, {}, `contact-${contactId}.zip`),
  });
  const erase = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/contacts/{contact_id}/erase", { params: { path: { contact_id: contactId } } })),
    onSuccess: () => {
      setOpen(false);
      void queries.invalidateQueries();
      navigate("/");
    },
  });
  return (
    <Stack gap={4} role="group" aria-label={t("contactPrivacy.title")}>
      <Text size="xs" c="dimmed">
        {t("contactPrivacy.title")}
      </Text>
      <Group gap="xs">
        <Button
          size="compact-sm"
          variant="subtle"
          loading={exporting.isPending}
          onClick={() => exporting.mutate()}
        >
          {t("contactPrivacy.export")}
        </Button>
        <Button size="compact-sm" color="red" variant="subtle" onClick={() => setOpen(true)}>
          {t("contactPrivacy.delete")}
        </Button>
      </Group>
      {exporting.error && (
        <Text c="red" size="xs" role="alert">
          {errorMessage(exporting.error)}
        </Text>
      )}
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t("contactPrivacy.confirmTitle", { name })}
        closeButtonProps={{ "aria-label": t("contactPrivacy.closeDialog") }}
      >
        <Stack gap="sm">
          <Text size="sm">{t("contactPrivacy.explain", { name })}</Text>
          <Checkbox checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} label={t("contactPrivacy.sure", { name })} />
          {erase.error && (
            <Alert color="red" role="alert">
              {errorMessage(erase.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t("contactPrivacy.cancel")}
            </Button>
            <Button color="red" disabled={!sure} loading={erase.isPending} onClick={() => erase.mutate()}>
              {t("contactPrivacy.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
