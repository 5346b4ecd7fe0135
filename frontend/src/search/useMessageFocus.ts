// Opening a conversation "at a message" (`?message=<id>`, from a search hit): once the message
// is on screen it is scrolled to the middle and outlined for a moment.
import { useEffect } from "react";
import { useLocation, useSearchParams } from "react-router-dom";

export const FOCUSED_ATTRIBUTE = "data-search-focus";
const WAIT_MS = 10_000;
const OUTLINE_MS = 4_000;

export function useMessageFocus(loaded: number): void {
  const [params] = useSearchParams();
  const { key } = useLocation();
  const messageId = params.get("message");
  useEffect(() => {
    if (!messageId) return;
    const selector = `[data-message-id="${CSS.escape(messageId)}"]`;
    let outline: ReturnType<typeof setTimeout> | undefined;
    const focus = (): boolean => {
      const element = document.querySelector<HTMLElement>(selector);
      if (!element) return false;
      element.scrollIntoView({ block: "center" });
      element.setAttribute(FOCUSED_ATTRIBUTE, "true");
      element.style.outline = "2px solid var(--mantine-color-yellow-5)";
      element.style.borderRadius = "var(--mantine-radius-md)";
      outline = setTimeout(() => {
        element.style.outline = "";
      }, OUTLINE_MS);
      return true;
    };
    if (focus()) return () => clearTimeout(outline);
    // The thread may render after its messages arrive (the conversation itself loads too).
    const watcher = new MutationObserver(() => {
      if (focus()) watcher.disconnect();
    });
    watcher.observe(document.body, { childList: true, subtree: true });
    const giveUp = setTimeout(() => watcher.disconnect(), WAIT_MS);
    return () => {
      watcher.disconnect();
      clearTimeout(giveUp);
      clearTimeout(outline);
    };
  }, [messageId, loaded, key]);
}
