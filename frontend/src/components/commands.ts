// What the open conversation lets the command palette do beyond its shortcut keys.
import { useEffect } from "react";

export type SnoozeChoice = "hour" | "tomorrow";
export type PriorityLevel = "low" | "normal" | "high" | "urgent";

export interface ConversationCommands {
  snooze: (until: SnoozeChoice) => void;
  priority: (priority: PriorityLevel) => void;
}

let registered: { conversationId: string; commands: ConversationCommands } | null = null;

/** Offers the palette the screen's own handlers for the conversation on show (kept fresh each render). */
export function useConversationCommands(conversationId: string, commands: ConversationCommands): void {
  useEffect(() => {
    const entry = { conversationId, commands };
    registered = entry;
    return () => {
      if (registered === entry) registered = null;
    };
  });
}

/** The handlers of the conversation on show, when it is this one. */
export function conversationCommands(conversationId: string): ConversationCommands | null {
  return registered?.conversationId === conversationId ? registered.commands : null;
}
