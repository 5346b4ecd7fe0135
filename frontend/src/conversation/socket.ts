// The tab's live socket, for sending typing and viewing signals.
import type { AgentSocket } from "../live/socket";

export function socket(): AgentSocket | undefined {
  return (window as unknown as { frontdeskSocket?: AgentSocket }).frontdeskSocket;
}
