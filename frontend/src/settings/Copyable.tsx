// A value to paste elsewhere (a webhook URL, a verify token), with a button that copies it.
import { Button, Code, CopyButton, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function Copyable({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code style={{ overflowWrap: "anywhere" }}>{value}</Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="light" onClick={copy} aria-label={`${t("settings.copy")}: ${label}`}>
              {copied ? t("settings.copied") : t("settings.copy")}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
