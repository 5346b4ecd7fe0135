// Telling the others who is viewing a conversation: on opening it, every 15 s while it stays
// open, and "no longer" on leaving it (another conversation, another screen, the tab closing).
import { useEffect } from "react";
import { useLiveSocket } from "./socket";

export const VIEWING_RENEW_MS = 15_000;

export function useViewing(conversationId: string, loaded: boolean): void {
  const { send } = useLiveSocket();
  useEffect(() => {
    if (!loaded) return;
    const say = (active: boolean) => send({ type: "viewing", conversation_id: conversationId, active });
    say(true);
    const renew = setInterval(() => say(true), VIEWING_RENEW_MS);
    const leave = () => say(false);
    addEventListener("pagehide", leave);
    return () => {
      clearInterval(renew);
      removeEventListener("pagehide", leave);
      leave();
    };
  }, [conversationId, loaded, send]);
}
