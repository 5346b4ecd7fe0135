// Live data for the signed-in app: one socket per tab, owned here, whose frames update the
// query cache (`applyFrame`). Screens read queries; they send signals with `useLiveSocket`.
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApplyContext, applyFrame } from "./apply";
import { pushNotice } from "./notify";
import { AgentSocket } from "./socket";

export interface LiveSocket {
  /** Sends a signal (`typing`, `viewing`, `activity`) if the socket is open; else nothing (stable). */
  send: (frame: Record<string, unknown>) => void;
  online: boolean;
}

const LiveContext = createContext<LiveSocket>({ send: () => {}, online: false });

export function useLiveSocket(): LiveSocket {
  return useContext(LiveContext);
}

export function LiveProvider({ workspaceId, userId, children }: { workspaceId: string | null; userId: string | null; children: ReactNode }) {
  const queries = useQueryClient();
  const { i18n } = useTranslation();
  const [online, setOnline] = useState(false);
  const socket = useRef<AgentSocket | null>(null);

  useEffect(() => {
    if (!workspaceId) return;
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const soon: ApplyContext["soon"] = (key, ms, run) => {
      if (timers.has(key)) return;
      timers.set(
        key,
        setTimeout(() => {
          timers.delete(key);
          run();
        }, ms),
      );
    };
    const notify: ApplyContext["notify"] = (notice) => pushNotice(queries, notice, i18n.t(`notices.${notice.kind}`, { name: notice.who }));
    const live = new AgentSocket(workspaceId, {
      frame: (frame) => applyFrame(frame, { queries, workspaceId, userId, now: Date.now(), soon, notify }),
      state: setOnline,
    });
    socket.current = live;
    live.start();
    return () => {
      live.stop();
      socket.current = null;
      for (const timer of timers.values()) clearTimeout(timer);
    };
  }, [workspaceId, userId, queries, i18n]);

  const send = useCallback((frame: Record<string, unknown>) => socket.current?.send(frame), []);
  const value = useMemo<LiveSocket>(() => ({ send, online }), [send, online]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}
