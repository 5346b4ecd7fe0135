// Telling an agent what needs them: a new assignment or a mention, in the app, the OS and a sound.
import type { Frame } from "./reducer";

export interface Notice {
  id: number;
  kind: "assigned" | "mention";
  conversationId: string;
  who: string;
  at: number;
}

/** The notice a frame deserves for user `me`, if any (pure, so it can be tested). */
export function noticeFor(frame: Frame, me: string): Omit<Notice, "at"> | null {
  if (typeof frame.id !== "number" || !frame.data) return null;
  const data = frame.data as Record<string, any>;
  const conversation = data["conversation"] as { id: string; contact?: { name?: string }; assignee?: { id?: string } | null } | undefined;
  if (!conversation) return null;
  const who = conversation.contact?.name ?? "";
  if (frame.type === "conversation.assigned" || frame.type === "conversation.transferred") {
    const change = (data["change"] ?? {}) as Record<string, unknown>;
    if (conversation.assignee?.id === me && change["by_user_id"] !== me) {
      return { id: frame.id, kind: "assigned", conversationId: conversation.id, who };
    }
  }
  if (frame.type === "message.created") {
    const message = data["message"] as { mentions?: string[]; sender?: { id?: string; name?: string } | null } | undefined;
    if (message?.mentions?.includes(me) && message.sender?.id !== me) {
      return { id: frame.id, kind: "mention", conversationId: conversation.id, who: message.sender?.name ?? "" };
    }
  }
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
