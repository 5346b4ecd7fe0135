// In a conversation: an agent asks the supervisors for help (and lowers the hand); a supervisor
// of the conversation (owner, manager, a lead of its team) takes it over in one action: assigned
// to them, with an optional note to the agent and an optional message to the customer.
import { Alert, Badge, Button, Group, Modal, Stack, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";

/** A raised hand, kept current by `conversation.help_*` frames (live/apply.ts). */
function useHand(conversationId: string) {
  const key = ["help", conversationId];
  return useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/api/v1/conversations/{conversation_id}/help", { params: { path: { conversation_id: conversationId } } })),
  });
}

export function HandRaised({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const hand = useHand(conversationId);
  if (!hand.data) return null;
  return (
    <Badge color="orange" variant="filled" title={hand.data.note ?? undefined}>
      {t("hands.raised")}
    </Badge>
  );
}

export function HelpButton({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const hand = useHand(conversationId);
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState("");
  const path = { params: { path: { conversation_id: conversationId } } };
  const done = () => {
    setAsking(false);
    setNote("");
    void queries.invalidateQueries({ queryKey: ["help", conversationId] });
  };
  const raise = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/conversations/{conversation_id}/help", { ...path, body: { note: note.trim() || null } })),
    onSuccess: done,
  });
  const lower = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/conversations/{conversation_id}/help", path)),
    onSuccess: done,
  });
  if (hand.data) {
    return (
      <Button size="xs" variant="light" color="orange" loading={lower.isPending} onClick={() => lower.mutate()}>
        {t("hands.lower")}
      </Button>
    );
  }
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setAsking(true)}>
        {t("hands.ask")}
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title={t("hands.askTitle")} closeButtonProps={{ "aria-label": t("hands.cancel") }}>
        <Stack>
          <Textarea label={t("hands.note")} value={note} maxLength={500} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
          {raise.error && <Alert color="red">{errorMessage(raise.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              {t("hands.cancel")}
            </Button>
            <Button loading={raise.isPending} onClick={() => raise.mutate()}>
              {t("hands.send")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

export function TakeOverButton({ conversationId, assigneeName }: { conversationId: string; assigneeName?: string | null }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [message, setMessage] = useState("");
  const take = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/conversations/{conversation_id}/take-over", {
          params: { path: { conversation_id: conversationId } },
          body: { note: note.trim() || null, message: message.trim() || null },
        }),
      ),
    onSuccess: () => {
      setOpen(false);
      setNote("");
      setMessage("");
      void queries.invalidateQueries({ queryKey: ["conversation", conversationId] });
      void queries.invalidateQueries({ queryKey: ["help", conversationId] });
    },
  });
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpen(true)}>
        {t("hands.takeOver")}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t("hands.takeOverTitle")} closeButtonProps={{ "aria-label": t("hands.cancel") }}>
        <Stack>
          <Textarea
            label={assigneeName ? t("hands.noteTo", { name: assigneeName }) : t("hands.noteToTeam")}
            value={note}
            maxLength={4096}
            onChange={(e) => setNote(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Textarea label={t("hands.message")} value={message} maxLength={4096} onChange={(e) => setMessage(e.currentTarget.value)} autosize minRows={2} />
          {take.error && <Alert color="red">{errorMessage(take.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t("hands.cancel")}
            </Button>
            <Button loading={take.isPending} onClick={() => take.mutate()}>
              {t("hands.takeOver")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
