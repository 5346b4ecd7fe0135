import { describe, expect, it } from "vitest";
import { type CountryHoliday, type Draft, type DraftPeriod, countryClosedDates, formatWallTime, previewHours, wallClock, weekdayNames } from "./hoursPreview";

const WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday"] as const;

function draft(periods: DraftPeriod[], extra: Partial<Draft> = {}): Draft {
  return { timezone: "America/Sao_Paulo", is_enabled: true, periods, holidays: [], ...extra };
}

const store = draft([
  ...WEEK.map((weekday) => ({ weekday, start: "08:00", end: "12:00" })),
  ...WEEK.map((weekday) => ({ weekday, start: "13:00", end: "18:00" })),
]);

// Monday 5 January 2026: São Paulo is UTC-3.
const mondayAt = (hour: number, minute = 0) => new Date(Date.UTC(2026, 0, 5, hour + 3, minute));

describe("the business-hours preview", () => {
  it("reads the wall clock of the schedule's zone", () => {
    expect(wallClock(new Date(Date.UTC(2026, 0, 5, 2, 30)), "America/Sao_Paulo")).toEqual({ date: "2026-01-04", minute: 23 * 60 + 30 });
    expect(wallClock(new Date(Date.UTC(2026, 0, 5, 2, 30)), "Asia/Ho_Chi_Minh")).toEqual({ date: "2026-01-05", minute: 9 * 60 + 30 });
  });

  it("is open in a period and says when it closes", () => {
    expect(previewHours(store, mondayAt(9))).toEqual({ state: "open", closes: { date: "2026-01-05", minute: 12 * 60, weekday: 0 } });
  });

  it("waits over lunch and over the weekend", () => {
    expect(previewHours(store, mondayAt(12, 30))).toEqual({ state: "closed", opens: { date: "2026-01-05", minute: 13 * 60, weekday: 0 } });
    const friday = new Date(Date.UTC(2026, 0, 9, 22));
    expect(previewHours(store, friday)).toEqual({ state: "closed", opens: { date: "2026-01-12", minute: 8 * 60, weekday: 0 } });
  });

  it("follows a period past midnight and joins periods that touch", () => {
    const late = draft([
      { weekday: "monday", start: "20:00", end: "00:00" },
      { weekday: "tuesday", start: "00:00", end: "02:00" },
      { weekday: "tuesday", start: "22:00", end: "03:00" },
    ]);
    expect(previewHours(late, mondayAt(21))).toEqual({ state: "open", closes: { date: "2026-01-06", minute: 120, weekday: 1 } });
    const tuesdayNight = new Date(Date.UTC(2026, 0, 7, 4, 30)); // Wednesday 01:30 in São Paulo
    expect(previewHours(late, tuesdayNight)).toEqual({ state: "open", closes: { date: "2026-01-07", minute: 180, weekday: 2 } });
    const midnight = draft([{ weekday: "monday", start: "20:00", end: "24:00" }]);
    expect(previewHours(midnight, mondayAt(21))).toEqual({ state: "open", closes: { date: "2026-01-06", minute: 0, weekday: 1 } });
  });

  it("skips holidays, once or every year", () => {
    const once = { ...store, holidays: [{ date: "2026-01-05", name: "Closed" }] };
    expect(previewHours(once, mondayAt(9))).toEqual({ state: "closed", opens: { date: "2026-01-06", minute: 480, weekday: 1 } });
    const yearly = { ...store, holidays: [{ date: "2020-01-05", name: "Every year", is_recurring: true }] };
    expect(previewHours(yearly, mondayAt(9)).state).toBe("closed");
    const otherYear = { ...store, holidays: [{ date: "2020-01-05", name: "Once" }] };
    expect(previewHours(otherYear, mondayAt(9)).state).toBe("open");
  });

  it("closes on the country's public holidays unless skipped, and on optional ones observed", () => {
    const brazil: CountryHoliday[] = [
      { date: "2026-01-05", key: "Feriado", category: "public" },
      { date: "2026-01-06", key: "Carnaval", category: "optional" },
      { date: "2026-01-07", key: "Carnaval", category: "optional" },
    ];
    const national = { ...store, holiday_country: "BR" };
    expect([...countryClosedDates(national, brazil)]).toEqual(["2026-01-05"]);
    const closed = countryClosedDates(national, brazil);
    expect(previewHours(national, mondayAt(9), closed)).toEqual({ state: "closed", opens: { date: "2026-01-06", minute: 480, weekday: 1 } });
    const carnival = { ...national, skipped_holidays: ["Feriado"], observed_holidays: ["Carnaval"] };
    const carnivalDays = countryClosedDates(carnival, brazil);
    expect([...carnivalDays]).toEqual(["2026-01-06", "2026-01-07"]);
    expect(previewHours(carnival, mondayAt(19), carnivalDays)).toEqual({ state: "closed", opens: { date: "2026-01-08", minute: 480, weekday: 3 } });
    expect(countryClosedDates({ ...store, holiday_country: null }, brazil).size).toBe(0);
  });

  it("is always open when off, and never opens without periods", () => {
    expect(previewHours({ ...store, is_enabled: false }, mondayAt(3))).toEqual({ state: "always" });
    expect(previewHours(null, mondayAt(3))).toEqual({ state: "always" });
    expect(previewHours(draft([]), mondayAt(3))).toEqual({ state: "closed", opens: null });
    const always = draft(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }) as DraftPeriod));
    expect(previewHours(always, mondayAt(3))).toEqual({ state: "open", closes: null });
  });

  it("names days and times in the user's language", () => {
    expect(weekdayNames("en")[0]).toBe("Monday");
    expect(weekdayNames("pt-BR")[0]).toBe("segunda-feira");
    expect(weekdayNames("vi")[6]).toBe("Chủ Nhật");
    const now = mondayAt(12, 30);
    expect(formatWallTime({ date: "2026-01-05", minute: 780, weekday: 0 }, "en", now, "America/Sao_Paulo")).toBe("Monday 13:00");
    expect(formatWallTime({ date: "2026-01-20", minute: 540, weekday: 1 }, "en", now, "America/Sao_Paulo")).toContain("20");
  });
});
