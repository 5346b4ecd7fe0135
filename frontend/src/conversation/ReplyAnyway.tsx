// "This conversation is assigned to Bruno. Reply anyway?" before replying in someone else's conversation.
import { Button, Group, Modal, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function ReplyAnyway({ name, opened, onConfirm, onCancel }: { name: string; opened: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onCancel} title={t("replyAnyway.title")} centered>
      <Text size="sm">{t("replyAnyway.body", { name })}</Text>
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onCancel}>
          {t("replyAnyway.cancel")}
        </Button>
        <Button onClick={onConfirm} data-autofocus>
          {t("replyAnyway.confirm")}
        </Button>
      </Group>
    </Modal>
  );
}
