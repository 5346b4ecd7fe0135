// Writing: a reply or an internal note, canned responses with "/", typing signals, and reply
// buttons or a list on the channels that carry them.
import { ActionIcon, Alert, Badge, Box, Button, Group, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api, csrfToken, unwrap } from "../api/client";
import { rememberMessages } from "../live/cache";
import { ClipIcon } from "../components/Icons";
import { useMembers } from "../hooks/useMembers";
import { useLiveSocket } from "./socket";
import { type ChoicesDraft, type Interactive, buildInteractive, choiceLimits, newDraft, problems, textLength } from "./choices";
import { ChoicesIcon, ChoicesPanel } from "./ChoicesPanel";
import { EmojiPicker } from "./EmojiPicker";
import { insertAt } from "./emoji";
import { QuotePreview } from "./QuotePreview";
import { useQuote, useQuoted } from "./quote";
import { TemplatePicker } from "./TemplatePicker";
import { SuggestedReplies } from "./SuggestedReplies";
import { ReplyAnyway } from "./ReplyAnyway";
import { needsReplyConfirm } from "./replyConfirm";
import { WindowNotice, useWindow } from "./WindowNotice";
import { useWorkTime } from "./work";

export function Composer({
  conversationId,
  closed,
  focus,
  channelId,
  channelType,
  windowExpiresAt,
  assignee,
  me = "",
  canWhisper = false,
}: {
  conversationId: string;
  closed: boolean;
  focus: { mode: "reply" | "note"; at: number };
  channelId?: string;
  channelType?: string;
  windowExpiresAt?: string | null;
  /** Who has the conversation: replying in someone else's asks first. */
  assignee?: { id: string; name: string } | null;
  me?: string;
  /** A supervisor of the conversation may whisper (a note only the assignee and supervisors read). */
  canWhisper?: boolean;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<"reply" | "note" | "whisper">("reply");
  // A note or a whisper: written for the team, never sent to the customer.
  const internal = mode !== "reply";
  useEffect(() => {
    if (!canWhisper && mode === "whisper") setMode("note");
  }, [canWhisper, mode]);
  // Channels with a customer-service window: outside it only a template may be sent.
  const left = useWindow(windowExpiresAt);
  const windowClosed = left.state === "closed";
  const [templates, setTemplates] = useState(false);
  const quoted = useQuoted(conversationId);
  const quote = useQuote();
  const queries = useQueryClient();
  const { send: signal } = useLiveSocket();
  const locked = (closed || windowClosed) && mode === "reply";
  const windowClosedRef = useRef(false);
  windowClosedRef.current = windowClosed && !closed && Boolean(channelId);
  const [body, setBody] = useState("");
  const [mentioned, setMentioned] = useState<Record<string, string>>({});
  const [files, setFiles] = useState<{ id: string; name: string }[]>([]);
  const [fileError, setFileError] = useState("");
  const channels = useQuery({ queryKey: ["channels"], queryFn: () => unwrap(api.GET("/api/v1/channels")) });
  const limits = choiceLimits(channels.data?.find((c) => c.id === channelId)?.choice_limits);
  const [choices, setChoices] = useState<ChoicesDraft | null>(null);
  useEffect(() => setChoices(null), [conversationId]);
  const withChoices = mode === "reply" && choices !== null && limits !== undefined;
  const blocked = withChoices ? problems(choices, body, limits)[0] : undefined;
  const picker = useRef<HTMLInputElement>(null);
  const { items: members } = useMembers();
  const mentionQuery = mode === "note" ? /(?:^|\s)@([\p{L}\w]*)$/u.exec(body)?.[1] : undefined;
  const mentionOptions =
    mentionQuery === undefined
      ? []
      : members.filter((m) => m.name.toLowerCase().startsWith(mentionQuery.toLowerCase())).slice(0, 6);
  const mention = (userId: string, name: string) => {
    setBody((b) => b.replace(/@([\p{L}\w]*)$/u, `@${name} `));
    setMentioned((m) => ({ ...m, [userId]: name }));
    field.current?.focus();
  };
  const attach = async (file: File) => {
    setFileError("");
    const form = new FormData();
    form.append("file", file, file.name);
    form.append("conversation_id", conversationId);
    const response = await fetch("/api/v1/attachments", {
      method: "POST",
      body: form,
      headers: { "X-CSRF-Token": csrfToken() },
    });
    const result = (await response.json()) as { id?: string; name?: string; error?: { message?: string } };
    if (!response.ok || !result.id) {
      setFileError(t("conversation.attachFailed", { reason: result.error?.message ?? response.statusText }));
      return;
    }
    setFiles((f) => [...f, { id: result.id ?? "", name: result.name ?? file.name }]);
  };
  const field = useRef<HTMLTextAreaElement>(null);
  const focusWanted = useRef(false);
  useEffect(() => {
    if (focus.at === 0) return;
    setMode(focus.mode);
    focusWanted.current = true;
    // Outside the window a reply can only be a template: asking to reply opens the picker.
    if (focus.mode === "reply" && windowClosedRef.current) setTemplates(true);
  }, [focus]);
  // Focused once the field is enabled: a closed conversation's reply box opens only as a note.
  useEffect(() => {
    if (!focusWanted.current || !field.current || field.current.disabled) return;
    focusWanted.current = false;
    field.current.focus();
  });
  const canned = useQuery({
    queryKey: ["canned", body.slice(1)],
    queryFn: () => unwrap(api.GET("/api/v1/canned-responses", { params: { query: { q: body.slice(1) || undefined } } })),
    enabled: body.startsWith("/"),
  });
  const applyCanned = async (cannedId: string) => {
    const rendered = await unwrap(
      api.POST("/api/v1/canned-responses/{canned_response_id}/render", {
        params: { path: { canned_response_id: cannedId } },
        body: { conversation_id: conversationId },
      }),
    );
    setBody(rendered.body);
    field.current?.focus();
  };
  const lastTyping = useRef(0);
  // Handle time: writing, or having just sent, while the conversation is on screen.
  const [sentAt, setSentAt] = useState<number | null>(null);
  useWorkTime(conversationId, body.trim() !== "" || files.length > 0, sentAt);
  const unsent = useRef<{ key: string; id: string } | null>(null);
  const send = useMutation({
    mutationFn: async ({ text, interactive }: { text: string; interactive?: Interactive }) => {
      const path = { params: { path: { conversation_id: conversationId } } };
      // A failed send keeps its id when sent again: a reply the server did get is not doubled.
      const key = `${conversationId}:${mode}:${text}:${JSON.stringify(interactive ?? null)}`;
      const client_message_id = unsent.current?.key === key ? unsent.current.id : crypto.randomUUID();
      unsent.current = { key, id: client_message_id };
      const mention_user_ids = Object.entries(mentioned)
        .filter(([, name]) => text.includes(`@${name}`))
        .map(([id]) => id);
      const attachment_ids = files.map((f) => f.id);
      if (mode === "whisper") {
        return unwrap(api.POST("/api/v1/conversations/{conversation_id}/whispers", { ...path, body: { body: text, client_message_id } }));
      }
      return mode === "note"
        ? unwrap(api.POST("/api/v1/conversations/{conversation_id}/notes", { ...path, body: { body: text, client_message_id, mention_user_ids } }))
        : unwrap(
            api.POST("/api/v1/conversations/{conversation_id}/messages", {
              ...path,
              body: { body: text, client_message_id, attachment_ids, reply_to_message_id: quoted?.id ?? null, ...(interactive ? { interactive } : {}) },
            }),
          );
    },
    onSuccess: (message) => {
      unsent.current = null;
      setSentAt(performance.now());
      if (message.kind !== "note") quote(conversationId, undefined);
      rememberMessages(queries, [message]);
      setFiles([]);
      setMentioned({});
      if (message.kind === "interactive") setChoices(null);
    },
    onError: (error, { text }) => {
      setBody((b) => b || text);
      // The server's clock decides: a window this browser still saw open may have closed.
      if (error instanceof ApiError && error.code === "window_closed" && channelId) setTemplates(true);
    },
  });
  // Asked once per conversation and assignee: "This conversation is assigned to Bruno. Reply anyway?"
  const [confirmedFor, setConfirmedFor] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  useEffect(() => setConfirmedFor(null), [conversationId]);
  const submit = (confirmed = false) => {
    if (locked || blocked) return;
    const text = body.trim();
    if (!text && (internal || files.length === 0)) return;
    if (!confirmed && needsReplyConfirm(internal ? "note" : "reply", assignee?.id, me, confirmedFor)) {
      setAsking(true);
      return;
    }
    setBody("");
    signal({ type: "typing", conversation_id: conversationId, active: false });
    send.mutate({ text, interactive: withChoices ? buildInteractive(choices) : undefined });
  };
  const suggestions = body.startsWith("/") ? (canned.data ?? []).slice(0, 6) : [];
  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Escape") {
      event.currentTarget.blur();
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && mentionOptions[0]) {
      event.preventDefault();
      mention(mentionOptions[0].user_id, mentionOptions[0].name);
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && suggestions[0]) {
      event.preventDefault();
      void applyCanned(suggestions[0].id);
      return;
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  };
  const onChange = (value: string) => {
    setBody(value);
    if (mode === "reply" && Date.now() - lastTyping.current > 3000) {
      lastTyping.current = Date.now();
      signal({ type: "typing", conversation_id: conversationId, active: true });
    }
  };
  // An emoji goes where the caret was (replacing any selection); the caret then follows it.
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caret.current === null || !field.current) return;
    field.current.focus();
    field.current.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  }, [body]);
  const insertEmoji = (emoji: string) => {
    const at = field.current;
    const next = insertAt(body, at?.selectionStart ?? body.length, at?.selectionEnd ?? body.length, emoji);
    caret.current = next.caret;
    onChange(next.text);
  };
  return (
    <Box p="sm" style={{ borderTop: "1px solid var(--mantine-color-gray-3)" }} bg={mode === "note" ? "yellow.0" : mode === "whisper" ? "grape.0" : undefined}>
      <SegmentedControl
        size="xs"
        mb="xs"
        value={mode}
        onChange={(v) => setMode(v as "reply" | "note" | "whisper")}
        data={[
          { value: "reply", label: t("conversation.reply"), disabled: closed },
          { value: "note", label: t("conversation.note") },
          ...(canWhisper ? [{ value: "whisper", label: t("supervise.whisper") }] : []),
        ]}
      />
      {mode === "reply" && !closed && <WindowNotice left={left} onTemplate={() => setTemplates(true)} />}
      {channelId && (
        <TemplatePicker
          opened={templates}
          onClose={() => setTemplates(false)}
          conversationId={conversationId}
          channelId={channelId}
          replyTo={quoted?.id}
          onSent={() => quote(conversationId, undefined)}
        />
      )}
      {mode === "reply" && quoted && <QuotePreview message={quoted} onCancel={() => quote(conversationId, undefined)} />}
      {send.error && (
        <Alert color="red" mb="xs" role="alert">
          {send.error instanceof TypeError
            ? t("a11y.notSent")
            : send.error instanceof ApiError && send.error.code === "opted_out"
              ? t("optOut.refused")
              : send.error.message}
          {body.trim() && (
            <Button size="compact-xs" variant="light" color="red" ml="xs" onClick={() => submit()}>
              {t("conversation.retry")}
            </Button>
          )}
        </Alert>
      )}
      {send.isPaused && (
        <Alert color="yellow" mb="xs" role="status" title={t("a11y.waitingToSend")}>
          {send.variables?.text}
        </Alert>
      )}
      {suggestions.length > 0 && (
        <Stack gap={2} mb="xs" role="listbox" aria-label={t("conversation.canned")}>
          {suggestions.map((c) => (
            <Button key={c.id} role="option" variant="subtle" size="xs" justify="flex-start" onClick={() => void applyCanned(c.id)}>
              /{c.shortcut} · {c.title}
            </Button>
          ))}
        </Stack>
      )}
      {!locked && mode === "reply" && !body.trim() && <SuggestedReplies conversationId={conversationId} onPick={(id) => void applyCanned(id)} />}
      {mentionOptions.length > 0 && (
        <Stack gap={2} mb="xs" role="listbox" aria-label={t("conversation.mention")}>
          {mentionOptions.map((m) => (
            <Button key={m.user_id} role="option" variant="subtle" size="xs" justify="flex-start" onClick={() => mention(m.user_id, m.name)}>
              @{m.name}
            </Button>
          ))}
        </Stack>
      )}
      {fileError && (
        <Alert color="red" mb="xs" role="alert">
          {fileError}
        </Alert>
      )}
      {files.length > 0 && (
        <Group gap={6} mb="xs">
          {files.map((f) => (
            <Badge key={f.id} variant="light">
              {f.name}
            </Badge>
          ))}
        </Group>
      )}
      {withChoices && channelType && (
        <ChoicesPanel
          draft={choices}
          limits={limits}
          channelType={channelType}
          bodyLength={textLength(body)}
          onChange={setChoices}
          onClose={() => {
            setChoices(null);
            field.current?.focus();
          }}
        />
      )}
      <Group align="flex-end" wrap="nowrap" gap="xs">
        <input
          ref={picker}
          type="file"
          hidden
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void attach(file);
            e.currentTarget.value = "";
          }}
        />
        <ActionIcon variant="subtle" size="lg" aria-label={t("conversation.attach")} onClick={() => picker.current?.click()} disabled={internal || locked || withChoices}>
          <ClipIcon />
        </ActionIcon>
        {limits && mode === "reply" && (
          <ActionIcon
            variant={withChoices ? "light" : "subtle"}
            size="lg"
            aria-label={t("choices.open")}
            title={t("choices.open")}
            aria-expanded={withChoices}
            disabled={locked || files.length > 0}
            onClick={() => setChoices((c) => (c ? null : newDraft()))}
          >
            <ChoicesIcon />
          </ActionIcon>
        )}
        <EmojiPicker disabled={locked} onPick={insertEmoji} onDismiss={() => field.current?.focus()} />
        <Textarea
          ref={field}
          style={{ flex: 1 }}
          autosize
          minRows={1}
          maxRows={6}
          aria-label={mode === "whisper" ? t("supervise.whisperPlaceholder") : mode === "note" ? t("conversation.notePlaceholder") : t("conversation.replyPlaceholder")}
          placeholder={
            mode === "whisper" ? t("supervise.whisperPlaceholder") : mode === "note" ? t("conversation.notePlaceholder") : windowClosed && !closed ? t("rich.window.placeholder") : t("conversation.replyPlaceholder")
          }
          value={body}
          onChange={(e) => onChange(e.currentTarget.value)}
          onKeyDown={onKey}
          disabled={locked}
        />
        {windowClosed && !closed && mode === "reply" && channelId ? (
          <Button onClick={() => setTemplates(true)}>{t("rich.template.open")}</Button>
        ) : (
          <Button onClick={() => submit()} loading={send.isPending} disabled={locked || Boolean(blocked)} aria-describedby={blocked ? "composer-blocked" : undefined}>
            {t("conversation.send")}
          </Button>
        )}
      </Group>
      <ReplyAnyway
        name={assignee?.name ?? ""}
        opened={asking}
        onCancel={() => {
          setAsking(false);
          field.current?.focus();
        }}
        onConfirm={() => {
          setAsking(false);
          setConfirmedFor(assignee?.id ?? null);
          submit(true);
        }}
      />
      {blocked && (
        <Text id="composer-blocked" size="xs" c="red.8" mt={4} role="status">
          {t(`choices.problem.${blocked.key}`, blocked.values)}
        </Text>
      )}
    </Box>
  );
}
