// The live state shared by the screens, fed by the socket and by REST snapshots.
import { useSyncExternalStore } from "react";
import { type Frame, type LiveState, applyFrame, emptyState } from "./reducer";

type Listener = () => void;

export class LiveStore {
  private state: LiveState = emptyState;
  private listeners = new Set<Listener>();

  get snapshot(): LiveState {
    return this.state;
  }

  update(change: (state: LiveState) => LiveState): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  apply(frame: Frame): void {
    this.update((s) => applyFrame(s, frame));
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  reset(): void {
    this.update(() => emptyState);
  }
}

export const liveStore = new LiveStore();

export function useLive<T>(select: (state: LiveState) => T): T {
  return useSyncExternalStore(liveStore.subscribe, () => select(liveStore.snapshot));
}
