// The composer's emoji button: every emoji by category, searched by name or keyword in the
// reader's language or English, an optional skin tone, worked with the mouse or the keyboard.
import { ActionIcon, Box, Group, Popover, ScrollArea, Select, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { EMOJI_GROUPS, type Emoji, type EmojiGroup, SKIN_TONES, type SkinTone, findEmoji, loadEmoji, withTone } from "./emoji";

const COLUMNS = 8;
const TONE_KEY = "frontdesk:emoji-tone";
// What each category's button shows.
const GROUP_ICONS: Record<EmojiGroup, string> = {
  smileys: "😀",
  people: "👋",
  animals: "🐶",
  food: "🍕",
  travel: "🚗",
  activities: "⚽",
  objects: "💡",
  symbols: "❤️",
  flags: "🏁",
};

function savedTone(): SkinTone {
  const value = localStorage.getItem(TONE_KEY);
  return (SKIN_TONES as readonly string[]).includes(value ?? "") ? (value as SkinTone) : "none";
}

export function EmojiPicker({ disabled, onPick, onDismiss }: { disabled?: boolean; onPick: (emoji: string) => void; onDismiss: () => void }) {
  const { t, i18n } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [query, setQuery] = useState("");
  const [group, setGroup] = useState<EmojiGroup>("smileys");
  const [tone, setTone] = useState<SkinTone>(savedTone);
  const [active, setActive] = useState(0);
  // Loaded the first time the picker opens: the reader's language and English, one chunk each.
  const data = useQuery({ queryKey: ["emoji", i18n.language], queryFn: () => loadEmoji(i18n.language), enabled: opened, staleTime: Infinity });
  const results = useMemo(() => findEmoji(query, data.data ?? [], group), [query, data.data, group]);
  const id = useId();
  const optionId = (index: number) => `${id}-emoji-${index}`;
  const current = results[active];

  useEffect(() => setActive(0), [query, group]);
  useEffect(() => {
    if (opened) document.getElementById(optionId(active))?.scrollIntoView({ block: "nearest" });
  });

  const close = () => {
    setOpened(false);
    setQuery("");
  };
  const pick = (emoji: Emoji) => {
    close();
    onPick(withTone(emoji, tone));
  };
  const chooseTone = (value: string | null) => {
    const next = (value ?? "none") as SkinTone;
    setTone(next);
    localStorage.setItem(TONE_KEY, next);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS };
    const move = moves[event.key];
    if (move !== undefined && results.length > 0) {
      event.preventDefault();
      setActive((a) => Math.min(results.length - 1, Math.max(0, a + move)));
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (current) pick(current);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
      onDismiss();
    }
  };

  return (
    <Popover opened={opened} onChange={(o) => (o ? setOpened(true) : close())} position="top-start" trapFocus returnFocus={false} shadow="md" width={COLUMNS * 38 + 26}>
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          size="lg"
          aria-label={t("emoji.open")}
          aria-haspopup="dialog"
          aria-expanded={opened}
          disabled={disabled}
          onClick={() => setOpened((o) => !o)}
        >
          <SmileIcon />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p="xs" role="dialog" aria-label={t("emoji.title")}>
        <TextInput
          data-autofocus
          size="xs"
          mb="xs"
          placeholder={t("emoji.search")}
          aria-label={t("emoji.search")}
          role="combobox"
          aria-expanded
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(active) : undefined}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        {!query && (
          <Group gap={2} mb={4} wrap="nowrap" role="group" aria-label={t("emoji.categories")}>
            {EMOJI_GROUPS.map((g) => (
              <ActionIcon
                key={g}
                variant={g === group ? "light" : "subtle"}
                size="md"
                aria-label={t(`emoji.groups.${g}`)}
                aria-pressed={g === group}
                title={t(`emoji.groups.${g}`)}
                onClick={() => setGroup(g)}
              >
                <span style={{ fontSize: 16 }}>{GROUP_ICONS[g]}</span>
              </ActionIcon>
            ))}
          </Group>
        )}
        <ScrollArea.Autosize mah={200} type="auto">
          <Box
            id={`${id}-list`}
            role="listbox"
            aria-label={t("emoji.title")}
            style={{ display: "grid", gridTemplateColumns: `repeat(${COLUMNS}, 1fr)`, gap: 2 }}
          >
            {results.map((emoji, index) => (
              <UnstyledButton
                key={emoji.id}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                aria-label={emoji.name}
                title={emoji.name}
                tabIndex={-1}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(index)}
                onClick={() => pick(emoji)}
                fz={22}
                ta="center"
                style={{
                  lineHeight: "34px",
                  borderRadius: 6,
                  background: index === active ? "var(--mantine-color-teal-1)" : undefined,
                }}
              >
                {withTone(emoji, tone)}
              </UnstyledButton>
            ))}
          </Box>
        </ScrollArea.Autosize>
        {data.isPending && (
          <Text size="sm" c="dimmed" ta="center" py="sm" role="status">
            {t("app.loading")}
          </Text>
        )}
        {data.isSuccess && results.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="sm" role="status">
            {t("emoji.none")}
          </Text>
        )}
        <Group justify="space-between" mt={6} gap="xs" wrap="nowrap">
          <Text size="xs" truncate aria-hidden="true" style={{ flex: 1 }}>
            {current ? `${withTone(current, tone)} ${current.name}` : ""}
          </Text>
          <Select
            size="xs"
            w={150}
            aria-label={t("emoji.tone")}
            data={SKIN_TONES.map((value) => ({ value, label: t(`emoji.tones.${value}`) }))}
            value={tone}
            onChange={chooseTone}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
          />
        </Group>
        <Group justify="flex-end" mt={4}>
          <Text size="xs" c="dimmed" style={{ flex: "none" }}>
            {t("emoji.hint")}
          </Text>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}

function SmileIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <circle cx="12" cy="12" r="9" />
      <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0" />
      <path d="M9 9.5h.01M15 9.5h.01" strokeLinecap="round" strokeWidth="2.5" />
    </svg>
  );
}
