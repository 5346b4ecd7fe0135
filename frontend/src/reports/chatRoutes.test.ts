import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { chartRows, handledShare } from "./chatRoutes";

const none = { count: 0, avg: null, median: null, p90: null };

function row(key: string, offered: number, handled: number, redirected: number): Schemas["ChatRouteRow"] {
  return { key, label: key.toUpperCase(), offered, handled, redirected, previous_offered: 1, time_to_redirect: none };
}

describe("chat routes", () => {
  it("shares handled of offered, none when nothing was offered", () => {
    expect(handledShare(row("jobs", 4, 3, 1))).toBe(0.75);
    expect(handledShare(row("jobs", 0, 0, 0))).toBeNull();
  });

  it("charts only the routes offered in the period, with translated series", () => {
    const label = (key: string) => `[${key}]`;
    expect(chartRows([row("jobs", 2, 1, 1), row("old", 0, 0, 0)], label)).toEqual([
      { route: "JOBS", "[offered]": 2, "[handled]": 1, "[redirected]": 1 },
    ]);
  });
});
