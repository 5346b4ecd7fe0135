// A new broadcast, or a draft to change: its name and channel, who it goes to, what it says, and
// when (now, or a local time in a time zone). "Send" saves it and starts it; "Save as draft" only
// saves it. A draft keeps its channel.
import { Alert, Box, Button, Group, Paper, Radio, Select, Stack, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { api, errorMessage, unwrap } from "../api/client";
import { BROADCASTS_KEY, type Broadcast, type Segment, useChannels } from "./api";
import { inputTime, localTime, timeZones } from "./compose";
import { type Content, ContentEditor } from "./ContentEditor";
import { SegmentBuilder } from "./SegmentBuilder";

export function Composer({ draft }: { draft?: Broadcast }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const channels = useChannels();
  const zones = useMemo(() => timeZones(), []);
  const scheduledIn = draft?.send_at ? (draft.time_zone ?? "UTC") : null;
  const [name, setName] = useState(draft?.name ?? "");
  const [channelId, setChannelId] = useState<string | null>(draft?.channel_id ?? null);
  const [segment, setSegment] = useState<Segment>(draft?.segment ?? { tag_ids: [], lifecycle_stages: [], fields: [] });
  const [content, setContent] = useState<Content>(
    (draft?.content as Content | undefined) ?? { kind: "template", body: "", template_id: null, variables: [] },
  );
  const [later, setLater] = useState(Boolean(scheduledIn));
  const [sendAt, setSendAt] = useState(draft?.send_at && scheduledIn ? inputTime(draft.send_at, scheduledIn) : "");
  const [zone, setZone] = useState<string | null>(scheduledIn ?? zones[0] ?? "UTC");
  const save = useMutation({
    mutationFn: async (start: boolean) => {
      const fields = (segment.fields ?? []).filter((f) => f.key);
      const changes = {
        name,
        segment: { ...segment, fields },
        content,
        send_at: later ? localTime(sendAt) : null,
        time_zone: later ? zone : null,
      };
      const made = draft
        ? await unwrap(api.PATCH("/api/v1/broadcasts/{broadcast_id}", { params: { path: { broadcast_id: draft.id } }, body: changes }))
        : await unwrap(api.POST("/api/v1/broadcasts", { body: { ...changes, channel_id: channelId ?? "" } }));
      if (!start) return made;
      return unwrap(api.POST("/api/v1/broadcasts/{broadcast_id}/start", { params: { path: { broadcast_id: made.id } } }));
    },
    onSuccess: (made) => {
      void queries.invalidateQueries({ queryKey: BROADCASTS_KEY });
      navigate(`/broadcasts/${made.id}`);
    },
  });
  const active = (channels.data ?? []).filter((c) => c.is_active);
  return (
    <Box style={{ flex: 1, overflow: "auto", minWidth: 0 }}>
      <Stack gap="md" p="md" maw={760}>
        <Title order={2}>{draft ? t("broadcasts.composer.editTitle", { name: draft.name }) : t("broadcasts.composer.title")}</Title>
        <form
          aria-label={draft ? t("broadcasts.composer.editTitle", { name: draft.name }) : t("broadcasts.composer.title")}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(true);
          }}
        >
          <Stack gap="md">
            <TextInput label={t("broadcasts.composer.name")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Select
              label={t("broadcasts.composer.channel")}
              required
              data={draft ? [{ value: draft.channel_id, label: draft.channel_name }] : active.map((c) => ({ value: c.id, label: c.name }))}
              value={channelId}
              onChange={setChannelId}
              disabled={Boolean(draft)}
            />
            <Paper withBorder p="sm">
              <Title order={3} size="h5" mb="xs">
                {t("broadcasts.composer.who")}
              </Title>
              <SegmentBuilder segment={segment} onChange={setSegment} channelId={channelId} freeText={content.kind === "text"} />
            </Paper>
            <Paper withBorder p="sm">
              <Title order={3} size="h5" mb="xs">
                {t("broadcasts.composer.what")}
              </Title>
              <ContentEditor content={content} onChange={setContent} channelId={channelId} />
            </Paper>
            <Paper withBorder p="sm">
              <Title order={3} size="h5" mb="xs">
                {t("broadcasts.composer.when")}
              </Title>
              <Radio.Group value={later ? "later" : "now"} onChange={(v) => setLater(v === "later")}>
                <Group gap="md">
                  <Radio value="now" label={t("broadcasts.composer.now")} />
                  <Radio value="later" label={t("broadcasts.composer.later")} />
                </Group>
              </Radio.Group>
              {later && (
                <Group grow mt="xs" wrap="wrap">
                  <TextInput type="datetime-local" label={t("broadcasts.composer.sendAt")} value={sendAt} onChange={(e) => setSendAt(e.currentTarget.value)} required />
                  <Select label={t("broadcasts.composer.timeZone")} data={zones} value={zone} onChange={setZone} searchable allowDeselect={false} />
                </Group>
              )}
            </Paper>
            {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
            <Group>
              <Button type="submit" loading={save.isPending && save.variables}>
                {later ? t("broadcasts.composer.schedule") : t("broadcasts.composer.send")}
              </Button>
              <Button variant="default" onClick={() => save.mutate(false)} loading={save.isPending && !save.variables}>
                {t("broadcasts.composer.draft")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Box>
  );
}
