// A confirmation before a destructive change: what will happen, then cancel or go ahead.
import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export function Confirm(props: {
  title: string;
  children: ReactNode;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
  pending?: boolean;
  error?: string | null;
  color?: string;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={props.onCancel} title={props.title} closeButtonProps={{ "aria-label": t("a11y.close") }}>
      <Stack gap="sm">
        {typeof props.children === "string" ? <Text size="sm">{props.children}</Text> : props.children}
        {props.error && <Alert color="red">{props.error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel} data-autofocus>
            {t("admin.cancel")}
          </Button>
          <Button color={props.color ?? "red"} onClick={props.onConfirm} loading={props.pending}>
            {props.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
