// What a channel message carries besides its text: a location, contact cards, a tapped button,
// buttons or a list sent, a template's name, files still downloading, an unsupported type;
// and under the bubble, the customer's reactions and the delivery ticks.
import { Anchor, Badge, Box, Group, Paper, Stack, Text, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Message } from "../api/client";
import { mapUrl, readPayload } from "./rich";

/** Kinds whose text is shown by their own renderer rather than as plain text. */
export const OWN_BODY = new Set(["location", "contacts", "interactive_reply", "postback", "unsupported"]);

export function RichContent({ message: m }: { message: Message }) {
  const { t } = useTranslation();
  const p = readPayload(m.payload);
  return (
    <>
      {p.template && (
        <Badge size="xs" variant="light" color="grape" mb={2} tt="none">
          {t("rich.bubble.template", { name: p.template.name })}
        </Badge>
      )}
      {p.location && (
        <Paper withBorder p={6} radius="md" my={2} role="group" aria-label={t("rich.bubble.location")}>
          <Text size="xs" c="dimmed">
            {t("rich.bubble.location")}
          </Text>
          {p.location.name && (
            <Text size="sm" fw={600}>
              {p.location.name}
            </Text>
          )}
          {p.location.address && <Text size="sm">{p.location.address}</Text>}
          <Anchor size="sm" href={mapUrl(p.location)} target="_blank" rel="noopener noreferrer">
            {t("rich.bubble.openMap")}
          </Anchor>
        </Paper>
      )}
      {p.contacts.map((c, i) => (
        <Paper key={i} withBorder p={6} radius="md" my={2} role="group" aria-label={t("rich.bubble.contact")}>
          <Text size="xs" c="dimmed">
            {t("rich.bubble.contact")}
          </Text>
          <Text size="sm" fw={600}>
            {c.name}
          </Text>
          {c.phones.map((phone) => (
            <Anchor key={phone} size="sm" href={`tel:${phone.replace(/[^\d+]/g, "")}`} display="block">
              {phone}
            </Anchor>
          ))}
          {c.emails.map((email) => (
            <Anchor key={email} size="sm" href={`mailto:${email}`} display="block">
              {email}
            </Anchor>
          ))}
        </Paper>
      ))}
      {p.choice && (m.kind === "interactive_reply" || m.kind === "postback") && (
        <Box>
          <Badge variant="outline" radius="sm" tt="none" size="lg" aria-label={t("rich.bubble.tapped", { title: p.choice.title })} title={t("rich.bubble.tapped", { title: p.choice.title })}>
            {p.choice.title}
          </Badge>
          {p.choice.description && (
            <Text size="xs" c="dimmed">
              {p.choice.description}
            </Text>
          )}
        </Box>
      )}
      {p.interactive && (
        <Stack gap={4} mt={4}>
          <Text size="xs" c="dimmed">
            {p.interactive.type === "buttons" ? t("rich.bubble.buttons") : t("rich.bubble.list", { label: p.interactive.button_label ?? "" })}
          </Text>
          <Group gap={4}>
            {(p.interactive.type === "buttons"
              ? (p.interactive.buttons ?? [])
              : (p.interactive.sections ?? []).flatMap((s) => s.rows)
            ).map((choice) => (
              <Badge key={choice.id} variant="outline" radius="sm" tt="none">
                {choice.title}
              </Badge>
            ))}
          </Group>
        </Stack>
      )}
      {m.kind === "unsupported" && (
        <Tooltip label={t("rich.bubble.unsupportedHelp")} multiline w={260}>
          <Text size="sm" fs="italic" c="dimmed">
            {t("rich.bubble.unsupported", { type: p.providerType ?? p.errorTitle ?? m.kind })}
          </Text>
        </Tooltip>
      )}
      {p.media
        .filter((media) => media.status !== "stored")
        .map((media, i) => (
          <Text key={i} size="xs" c={media.status === "failed" ? "red" : "dimmed"} fs="italic" role="status">
            {media.status === "failed"
              ? t("rich.bubble.downloadFailed", { name: media.name ?? media.kind })
              : t("rich.bubble.downloading", { name: media.name ?? media.kind })}
          </Text>
        ))}
    </>
  );
}

export function Reactions({ message: m }: { message: Message }) {
  const { t } = useTranslation();
  const reactions = (m.reactions ?? []).filter((r) => r.emoji);
  if (reactions.length === 0) return null;
  return (
    <Group gap={4} mt={-6} px={6} role="list" aria-label={t("rich.bubble.reactions")} style={{ alignSelf: m.direction === "outbound" ? "flex-end" : "flex-start" }}>
      {reactions.map((r, i) => (
        <Box
          key={`${r.by}-${i}`}
          role="listitem"
          aria-label={t("rich.bubble.reactionFromCustomer", { emoji: r.emoji })}
          px={6}
          style={{ background: "white", border: "1px solid var(--mantine-color-gray-3)", borderRadius: 12, fontSize: 14 }}
        >
          {r.emoji}
        </Box>
      ))}
    </Group>
  );
}

const TICKS: Record<string, { mark: string; color?: string }> = {
  pending: { mark: "○" },
  sent: { mark: "✓" },
  delivered: { mark: "✓✓" },
  read: { mark: "✓✓", color: "var(--mantine-color-blue-6)" },
};

/** The delivery state as ticks (named for screen readers), updated as status events arrive. */
export function Ticks({ status }: { status: string }) {
  const { t } = useTranslation();
  const tick = TICKS[status];
  if (!tick) return null;
  return (
    <span role="img" aria-label={t(`rich.bubble.status.${status}`)} title={t(`rich.bubble.status.${status}`)} data-status={status} style={{ color: tick.color, marginLeft: 4, letterSpacing: -3 }}>
      {tick.mark}
    </span>
  );
}
