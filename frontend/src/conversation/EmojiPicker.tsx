// The composer's emoji button: a searchable grid, worked with the mouse or the keyboard alone.
import { ActionIcon, Box, Group, Popover, ScrollArea, Text, TextInput, UnstyledButton } from "@mantine/core";
import { type KeyboardEvent, useEffect, useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGES, type LanguageCode, catalogues } from "../i18n";
import { type Emoji, type EmojiNames, emojiName, findEmoji } from "./emoji";

const COLUMNS = 8;

function namesIn(language: string): EmojiNames {
  const catalogue = catalogues[language as LanguageCode] as { emoji?: { names?: EmojiNames } } | undefined;
  return catalogue?.emoji?.names ?? {};
}

export function EmojiPicker({ disabled, onPick, onDismiss }: { disabled?: boolean; onPick: (emoji: string) => void; onDismiss: () => void }) {
  const { t, i18n } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  // Names in the app's language first (they are shown), then the others: any of them finds an emoji.
  const languages = useMemo(
    () => [i18n.language, ...LANGUAGES.map((l) => l.code).filter((code) => code !== i18n.language)].map(namesIn),
    [i18n.language],
  );
  const results = useMemo(() => findEmoji(query, languages), [query, languages]);
  const shown = languages[0] ?? {};
  const id = useId();
  const optionId = (index: number) => `${id}-emoji-${index}`;
  const current = results[active];

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    if (opened) document.getElementById(optionId(active))?.scrollIntoView({ block: "nearest" });
  });

  const close = () => {
    setOpened(false);
    setQuery("");
  };
  const pick = (emoji: Emoji) => {
    close();
    onPick(emoji.char);
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
                aria-label={emojiName(emoji, shown)}
                title={emojiName(emoji, shown)}
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
                {emoji.char}
              </UnstyledButton>
            ))}
          </Box>
        </ScrollArea.Autosize>
        {results.length === 0 && (
          <Text size="sm" c="dimmed" ta="center" py="sm" role="status">
            {t("emoji.none")}
          </Text>
        )}
        <Group justify="space-between" mt={6} gap="xs" wrap="nowrap">
          <Text size="xs" truncate aria-hidden="true">
            {current ? `${current.char} ${emojiName(current, shown)}` : ""}
          </Text>
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
