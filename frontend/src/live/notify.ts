// Telling an agent what needs them: a new assignment or a mention, in the app, the OS and a sound.
// Notices dismiss themselves after a few seconds (kept while the pointer is on them).
import type { Frame } from "./reducer";

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
  if (frame.type !== "notification.created" || typeof frame.id !== "number" || !frame.data) return null;
  const n = frame.data["notification"] as
    | { kind?: string; workspace_id?: string; actor?: { name?: string } | null; conversation?: { id?: string; contact_name?: string } }
    | undefined;
  // A member's sockets in another workspace hear their notifications too: this tab shows its own.
  if (!n || n.workspace_id !== workspace || !n.conversation?.id) return null;
  if (n.kind === "mention") return { id: frame.id, kind: "mention", conversationId: n.conversation.id, who: n.actor?.name ?? "" };
  if (n.kind === "assigned") return { id: frame.id, kind: "assigned", conversationId: n.conversation.id, who: n.conversation.contact_name ?? "" };
  return null;
}

type Listener = (notices: Notice[]) => void;

class Notices {
  private items: Notice[] = [];
  private listeners = new Set<Listener>();

  push(notice: Notice, text: string): void {
    this.items = [notice, ...this.items].slice(0, 5);
    this.emit();
    playChime();
    if (typeof Notification !== "undefined" && Notification.permission === "granted" && document.hidden) {
      new Notification("Frontdesk", { body: text, tag: notice.conversationId });
    }
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
    this.emit();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.items);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.items);
  }
}

export const notices = new Notices();

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
