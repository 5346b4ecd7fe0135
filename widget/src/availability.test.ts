import { describe, expect, it } from "vitest";
import { availabilityLine, openingLabel, refreshDelay } from "./availability";
import { translator } from "./i18n";

// Local times, whatever the machine's zone: Monday 5 January 2026, 06:00.
const now = new Date(2026, 0, 5, 6, 0);
const local = (day: number, hour: number) => new Date(2026, 0, day, hour, 0).toISOString();
const en = translator("en");

describe("the header before an agent has the chat", () => {
  it("says when a closed team opens, in the visitor's own time and language", () => {
    expect(openingLabel(local(5, 8), now, "en", en)).toBe("today at 08:00");
    expect(openingLabel(local(6, 8), now, "en", en)).toBe("tomorrow at 08:00");
    expect(openingLabel(local(9, 8), now, "en", en)).toBe("Friday at 08:00");
    expect(openingLabel(local(20, 9), now, "en", en)).toBe("January 20 at 09:00");
    const closed = { open_now: false, next_opening: local(12, 8), expected_wait_seconds: null };
    expect(availabilityLine(closed, new Date(2026, 0, 10, 12), "en", en)).toBe("We're closed · we open Monday at 08:00");
    expect(availabilityLine(closed, new Date(2026, 0, 10, 12), "pt-BR", translator("pt-BR"))).toBe("Estamos fechados · abrimos segunda-feira às 08:00");
    expect(availabilityLine(closed, new Date(2026, 0, 10, 12), "vi", translator("vi"))).toBe("Chúng tôi đang nghỉ · mở cửa lại Thứ Hai lúc 08:00");
    expect(availabilityLine({ ...closed, next_opening: null }, now, "en", en)).toBe("We're closed");
  });

  it("states the expected reply honestly when open", () => {
    const open = { open_now: true, next_opening: null };
    expect(availabilityLine({ ...open, expected_wait_seconds: 0 }, now, "en", en)).toBe("We're online · an agent will answer shortly");
    expect(availabilityLine({ ...open, expected_wait_seconds: 610 }, now, "en", en)).toBe("We're online · expected wait about 11 min");
    expect(availabilityLine({ ...open, expected_wait_seconds: null }, now, "en", en)).toBe("We're open · everyone is busy, we'll reply as soon as we can");
  });

  it("asks again at the opening, or every five minutes", () => {
    const inTwoMinutes = { open_now: false, next_opening: new Date(now.getTime() + 120_000).toISOString(), expected_wait_seconds: null };
    expect(refreshDelay(inTwoMinutes, now)).toBe(121_000);
    expect(refreshDelay({ open_now: true, next_opening: null, expected_wait_seconds: 0 }, now)).toBe(300_000);
    expect(refreshDelay({ ...inTwoMinutes, next_opening: local(12, 8) }, now)).toBe(300_000);
  });
});
