// Query keys of what only the socket tells (no REST query behind them): typing, viewing,
// presence, read cursors moved since the lists were fetched, messages that arrived live,
// contacts as last changed, the agent's notices and the message being quoted.
export const liveKeys = {
  all: ["live"] as const,
  typing: (conversationId: string) => ["live", "typing", conversationId] as const,
  viewing: (conversationId: string) => ["live", "viewing", conversationId] as const,
  presence: ["live", "presence"] as const,
  reads: ["live", "reads"] as const,
  arrived: ["live", "arrived"] as const,
  contacts: ["live", "contacts"] as const,
  notices: ["live", "notices"] as const,
  quote: (conversationId: string) => ["live", "quote", conversationId] as const,
};

// Keys of REST queries that frames patch or invalidate, owned by screens loaded lazily.
export const EXPORTS_KEY = ["report-exports"] as const;
export const WALLBOARD_KEY = ["wallboard"] as const;
export const REPORTS_KEY = ["reports"] as const;
