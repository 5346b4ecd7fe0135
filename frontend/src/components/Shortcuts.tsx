// Keyboard first: one key for every frequent action, and "?" to see them all.
import { Kbd, Modal, Table } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

export const SHORTCUTS = [
  { keys: ["j"], action: "next" },
  { keys: ["k"], action: "previous" },
  { keys: ["r"], action: "reply" },
  { keys: ["n"], action: "note" },
  { keys: ["a"], action: "assign" },
  { keys: ["e"], action: "close" },
  { keys: ["s"], action: "status", label: "routing.state.shortcut" },
  { keys: ["1", "2", "3", "4"], action: "views" },
  { keys: ["/"], action: "canned" },
  { keys: ["Esc"], action: "leave" },
  { keys: ["?"], action: "help" },
  { keys: ["Ctrl+K"], action: "palette", label: "palette.shortcut" },
] as const;

export type ShortcutAction = (typeof SHORTCUTS)[number]["action"];

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)));
}

const RUN = "frontdesk:shortcut";

/** Runs a shortcut's action as if its key were pressed (the command palette does this). */
export function runShortcut(action: ShortcutAction, key: string): void {
  window.dispatchEvent(new CustomEvent(RUN, { detail: { action, key } }));
}

const MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.userAgent);

/** Calls `onAction` for shortcut keys pressed outside text fields (and for `runShortcut`). */
export function useShortcuts(onAction: (action: ShortcutAction, key: string) => void): void {
  useEffect(() => {
    const handler = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target)) return;
      const found = SHORTCUTS.find((s) => (s.keys as readonly string[]).includes(event.key));
      if (!found || found.action === "canned" || found.action === "leave") return;
      event.preventDefault();
      onAction(found.action, event.key);
    };
    const run = (event: Event) => {
      const { action, key } = (event as CustomEvent<{ action: ShortcutAction; key: string }>).detail;
      onAction(action, key);
    };
    window.addEventListener("keydown", handler);
    window.addEventListener(RUN, run);
    return () => {
      window.removeEventListener("keydown", handler);
      window.removeEventListener(RUN, run);
    };
  }, [onAction]);
}

export function ShortcutHelp() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const handler = (event: KeyboardEvent) => {
      if (event.key === "?" && !typingInField(event.target)) setOpen((o) => !o);
    };
    window.addEventListener("keydown", handler);
    return () => window.removeEventListener("keydown", handler);
  }, []);
  return (
    <Modal opened={open} onClose={() => setOpen(false)} title={t("shortcuts.title")} closeButtonProps={{ "aria-label": t("a11y.close") }}>
      <Table>
        <Table.Tbody>
          {SHORTCUTS.map((s) => (
            <Table.Tr key={s.action}>
              <Table.Td>
                {s.keys.map((k) => (
                  <Kbd key={k} mr={4}>
                    {MAC ? k.replace("Ctrl+", "⌘ ") : k}
                  </Kbd>
                ))}
              </Table.Td>
              <Table.Td>{t("label" in s ? s.label : `shortcuts.${s.action}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
