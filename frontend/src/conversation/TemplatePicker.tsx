// Choosing an approved template of the channel, filling its variables with a live preview, and
// sending it: what an agent can still send once the customer-service window has closed.
import { Alert, Badge, Button, Group, Modal, Paper, ScrollArea, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type Message, type Schemas, api, unwrap } from "../api/client";
import { rememberMessages } from "../live/cache";
import { fillTemplate, placeholderCount, searchTemplates, templateReady } from "./rich";

type Template = Schemas["TemplateRead"];

export function TemplatePicker({
  opened,
  onClose,
  conversationId,
  channelId,
  replyTo,
  onSent,
}: {
  opened: boolean;
  onClose: () => void;
  conversationId: string;
  channelId: string;
  replyTo?: string;
  onSent: (message: Message) => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState<Template | null>(null);
  const [values, setValues] = useState<string[]>([]);
  const templates = useQuery({
    queryKey: ["templates", channelId],
    queryFn: () => unwrap(api.GET("/api/v1/channels/{channel_id}/templates", { params: { path: { channel_id: channelId } } })),
    enabled: opened,
  });
  const approved = (templates.data ?? []).filter((tpl) => tpl.status.toUpperCase() === "APPROVED");
  const found = searchTemplates(approved, query);
  const send = useMutation({
    mutationFn: (template: Template) =>
      unwrap(
        api.POST("/api/v1/conversations/{conversation_id}/messages", {
          params: { path: { conversation_id: conversationId } },
          body: {
            body: "",
            client_message_id: crypto.randomUUID(),
            template: { template_id: template.id, parameters: values.slice(0, placeholderCount(template.body)).map((v) => v.trim()) },
            reply_to_message_id: replyTo ?? null,
          },
        }),
      ),
    onSuccess: (message) => {
      rememberMessages(queries, [message]);
      onSent(message);
      close();
    },
  });
  const choose = (template: Template) => {
    setChosen(template);
    setValues(Array.from({ length: placeholderCount(template.body) }, () => ""));
    send.reset();
  };
  const close = () => {
    setChosen(null);
    setQuery("");
    setValues([]);
    onClose();
  };
  const count = chosen ? placeholderCount(chosen.body) : 0;
  const ready = chosen ? templateReady(chosen.body, values) : false;
  return (
    <Modal opened={opened} onClose={close} title={t("rich.template.title")} size="lg">
      {!chosen ? (
        <Stack gap="xs">
          <TextInput
            label={t("rich.template.search")}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-autofocus
          />
          {templates.isPending && <Text size="sm">{t("rich.template.loading")}</Text>}
          {templates.error && (
            <Alert color="red" role="alert">
              {templates.error.message}
            </Alert>
          )}
          {templates.data && approved.length === 0 && <Text size="sm">{t("rich.template.none")}</Text>}
          {approved.length > 0 && found.length === 0 && <Text size="sm">{t("rich.template.noMatch", { query })}</Text>}
          <ScrollArea.Autosize mah={360}>
            <Stack gap={6}>
              {found.map((tpl) => (
                <UnstyledButton
                  key={tpl.id}
                  aria-label={t("rich.template.choose", { name: tpl.name })}
                  onClick={() => choose(tpl)}
                >
                  <Paper withBorder p="xs" radius="md">
                    <Group gap={6} mb={2}>
                      <Text fw={600} size="sm">
                        {tpl.name}
                      </Text>
                      <Badge size="xs" variant="light">
                        {tpl.language}
                      </Badge>
                      {tpl.category && (
                        <Badge size="xs" variant="outline" color="gray">
                          {tpl.category.toLowerCase()}
                        </Badge>
                      )}
                    </Group>
                    <Text size="sm" c="dimmed" lineClamp={2}>
                      {tpl.body}
                    </Text>
                  </Paper>
                </UnstyledButton>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      ) : (
        <Stack gap="xs">
          <Group gap={6}>
            <Text fw={600}>{chosen.name}</Text>
            <Badge size="xs" variant="light">
              {chosen.language}
            </Badge>
          </Group>
          {Array.from({ length: count }, (_, i) => (
            <TextInput
              key={i}
              label={t("rich.template.variable", { n: i + 1 })}
              description={t("rich.template.variableHelp", { placeholder: `{{${i + 1}}}` })}
              value={values[i] ?? ""}
              maxLength={1024}
              onChange={(e) => {
                const value = e.currentTarget.value;
                setValues((v) => v.map((old, j) => (j === i ? value : old)));
              }}
              data-autofocus={i === 0 || undefined}
            />
          ))}
          <Text size="xs" fw={600} c="dimmed" mt={4} id="template-preview-label">
            {t("rich.template.preview")}
          </Text>
          <Paper withBorder p="sm" radius="md" bg="teal.0" aria-labelledby="template-preview-label" role="region">
            <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
              {fillTemplate(chosen.body, values)}
            </Text>
          </Paper>
          {!ready && (
            <Text size="xs" c="dimmed">
              {t("rich.template.missing")}
            </Text>
          )}
          {send.error && (
            <Alert color="red" role="alert">
              {t("rich.template.failed", { reason: send.error.message })}
            </Alert>
          )}
          <Group justify="space-between">
            <Button variant="default" onClick={() => setChosen(null)}>
              {t("rich.template.back")}
            </Button>
            <Button onClick={() => send.mutate(chosen)} disabled={!ready} loading={send.isPending}>
              {t("rich.template.send")}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
