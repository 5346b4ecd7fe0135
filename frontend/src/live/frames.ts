// Frames from the tab's socket, for screens that follow events the live store does not keep.
import { useEffect, useRef } from "react";
import type { Frame } from "./reducer";

type Listener = (frame: Frame) => void;

const listeners = new Set<Listener>();

/** Hands one frame to every listener (the socket calls this for each frame it applies). */
export function publishFrame(frame: Frame): void {
  for (const listener of listeners) listener(frame);
}

export function onFrame(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Calls `handler` for each frame of the given types while the component is mounted. */
export function useFrames(types: readonly string[], handler: Listener): void {
  const latest = useRef(handler);
  latest.current = handler;
  const key = types.join(" ");
  useEffect(() => {
    const wanted = new Set(key.split(" "));
    return onFrame((frame) => {
      if (wanted.has(frame.type)) latest.current(frame);
    });
  }, [key]);
}
