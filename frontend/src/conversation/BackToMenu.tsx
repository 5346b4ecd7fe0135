// "Back to menu": while a chat-route workflow (a greeting menu, a keyword route) holds the
// conversation's history, an agent on it or a supervisor can send the customer back to its
// menu. The route is read from GET /conversations/{id}/route; the server refuses with 409 when
// no route workflow in force holds it any more.
import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { workflowKeys } from "../workflows/api";

export function routeQueryKey(conversationId: string, version: number) {
  return ["conversation-route", conversationId, version] as const;
}

/** `version`: the conversation's version, so a change to it (an assignment) reads the route again. */
export function BackToMenu({ conversationId, version }: { conversationId: string; version: number }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const route = useQuery({
    queryKey: routeQueryKey(conversationId, version),
    queryFn: () =>
      unwrap(api.GET("/api/v1/conversations/{conversation_id}/route", { params: { path: { conversation_id: conversationId } } })),
  });
  const redirect = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/conversations/{conversation_id}/redirect", { params: { path: { conversation_id: conversationId } } })),
    onSuccess: () => {
      setOpen(false);
      void queries.invalidateQueries({ queryKey: ["conversation-route", conversationId] });
      void queries.invalidateQueries({ queryKey: ["conversation", conversationId] });
      // The run it started at the menu joins the conversation's run log.
      void queries.invalidateQueries({ queryKey: workflowKeys.conversationRuns(conversationId) });
    },
  });
  const offer = route.data?.offer;
  if (!route.data?.can_redirect || !offer) return null;
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpen(true)} title={t("chatRoutes.routeLabel", { label: offer.route_label })}>
        {t("chatRoutes.backToMenu")}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t("chatRoutes.confirmTitle")}
        closeButtonProps={{ "aria-label": t("chatRoutes.cancel") }}
      >
        <Stack>
          <Text size="sm">{t("chatRoutes.confirmText", { label: offer.route_label })}</Text>
          {redirect.error && <Alert color="red">{errorMessage(redirect.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t("chatRoutes.cancel")}
            </Button>
            <Button loading={redirect.isPending} onClick={() => redirect.mutate()}>
              {t("chatRoutes.backToMenu")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
