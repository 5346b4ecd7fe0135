// Telling an agent what needs them: a new assignment or a mention, in the app, the OS and a sound.
// Notices dismiss themselves after a few seconds (kept while the pointer is on them). They are
// held in the query cache (`liveKeys.notices`), like everything else the socket tells.
import type { QueryClient } from "@tanstack/react-query";
import type { Frame } from "./frames";
import { liveKeys } from "./keys";

export interface Notice {
  id: number;
  kind: "assigned" | "mention";
  conversationId: string;
  who: string;
  at: number;
}

/** The notice a frame deserves in workspace `workspace`, if any (pure, so it can be tested):
 * a `notification.created` kept for this member, as the bell keeps it. */
export function noticeFor(frame: Frame, workspace: string): Omit<Notice, "at"> | null {
  if (frame.type !== "notification.created") return null;
  const n = frame.data.notification;
  // A member's sockets in another workspace hear their notifications too: this tab shows its own.
  if (n.workspace_id !== workspace || !n.conversation?.id) return null;
  if (n.kind === "mention") return { id: frame.id, kind: "mention", conversationId: n.conversation.id, who: n.actor?.name ?? "" };
  if (n.kind === "assigned") return { id: frame.id, kind: "assigned", conversationId: n.conversation.id, who: n.conversation.contact_name ?? "" };
  return null;
}

/** Shows a notice (at most five at once), with a chime and, in a hidden tab, the OS's notice. */
export function pushNotice(queries: QueryClient, notice: Notice, text: string): void {
  queries.setQueryData<Notice[]>(liveKeys.notices, (items = []) => [notice, ...items.filter((n) => n.id !== notice.id)].slice(0, 5));
  playChime();
  if (typeof Notification !== "undefined" && Notification.permission === "granted" && document.hidden) {
    new Notification("Frontdesk", { body: text, tag: notice.conversationId });
  }
}

export function dismissNotice(queries: QueryClient, id: number): void {
  queries.setQueryData<Notice[]>(liveKeys.notices, (items = []) => items.filter((n) => n.id !== id));
}

const SOUND_KEY = "frontdesk:sound";

export function soundEnabled(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== "off";
  } catch {
    return true;
  }
}

export function setSoundEnabled(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? "on" : "off");
  } catch {
    // private mode: the choice lasts for this page only
  }
}

function playChime(): void {
  if (!soundEnabled()) return;
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.08, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.35);
  } catch {
    // no sound available: the visual notice is enough
  }
}
