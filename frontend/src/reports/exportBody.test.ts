import { describe, expect, it } from "vitest";
import { exportBody, progressPercent } from "./exportBody";
import type { ReportFilters } from "./hooks";

const filters: ReportFilters = {
  period: "custom",
  tz: "America/Sao_Paulo",
  start_date: "2026-01-05",
  end_date: "2026-01-05",
  team_id: ["t1"],
  agent_id: [],
  channel_id: ["c1", "c2"],
  outcome: ["hired"],
};

describe("exportBody", () => {
  it("carries the report's filters and period", () => {
    expect(exportBody("conversations", "xlsx", filters, {})).toEqual({
      kind: "conversations",
      format: "xlsx",
      period: "custom",
      tz: "America/Sao_Paulo",
      start_date: "2026-01-05",
      end_date: "2026-01-05",
      team_ids: ["t1"],
      agent_ids: [],
      channel_ids: ["c1", "c2"],
      tag_ids: [],
      outcomes: ["hired"],
      group_by: "day",
      metric: null,
      detail: null,
    });
  });

  it("asks for today when a custom period lacks a date, and names the number behind a list", () => {
    const body = exportBody("facts", "csv", { ...filters, end_date: undefined }, { metric: "closed", groupBy: "hour" });
    expect([body.period, body.start_date, body.end_date, body.metric, body.group_by]).toEqual([
      "today",
      null,
      null,
      "closed",
      "hour",
    ]);
  });
});

describe("progressPercent", () => {
  it("goes from 0 to 100 as rows are written", () => {
    expect(progressPercent({ rows_done: 0, rows_total: null })).toBe(0);
    expect(progressPercent({ rows_done: 0, rows_total: 0 })).toBe(0);
    expect(progressPercent({ rows_done: 2, rows_total: 5 })).toBe(40);
    expect(progressPercent({ rows_done: 5, rows_total: 5 })).toBe(100);
    expect(progressPercent({ rows_done: 7, rows_total: 5 })).toBe(100);
  });
});
