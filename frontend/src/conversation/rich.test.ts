import { describe, expect, it } from "vitest";
import { fillTemplate, formatDuration, mapUrl, placeholderCount, readPayload, retryBody, searchTemplates, templateReady, windowLeft } from "./rich";

const NOW = Date.parse("2026-03-01T10:00:00Z");
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe("the window countdown", () => {
  it("is none without an expiry and closed at or after it", () => {
    expect(windowLeft(null, NOW)).toEqual({ state: "none" });
    expect(windowLeft(at(0), NOW)).toEqual({ state: "closed" });
    expect(windowLeft(at(-60_000), NOW)).toEqual({ state: "closed" });
  });
  it("splits hours and minutes, rounding minutes up", () => {
    expect(windowLeft(at((3 * 60 + 12) * 60_000), NOW)).toEqual({ state: "open", hours: 3, minutes: 12, urgent: false });
    expect(windowLeft(at((3 * 60 + 11) * 60_000 + 1_000), NOW)).toMatchObject({ hours: 3, minutes: 12 });
    expect(windowLeft(at(59 * 60_000 + 30_000), NOW)).toEqual({ state: "open", hours: 1, minutes: 0, urgent: true });
    expect(windowLeft(at(5_000), NOW)).toEqual({ state: "open", hours: 0, minutes: 1, urgent: true });
    expect(windowLeft(at(24 * 3_600_000), NOW)).toMatchObject({ hours: 24, minutes: 0, urgent: false });
  });
  it("formats durations in each language", () => {
    expect(formatDuration(3, 12, "en")).toBe("3 hr 12 min");
    expect(formatDuration(0, 45, "en")).toBe("45 min");
    expect(formatDuration(2, 0, "en")).toBe("2 hr");
    expect(formatDuration(167, 59, "en")).toBe("6 days 23 hr");
    expect(formatDuration(48, 10, "en")).toBe("2 days");
    expect(formatDuration(25, 0, "pt-BR")).toBe("1 dia 1 h");
    expect(formatDuration(3, 12, "pt-BR")).toBe("3 h 12 min");
    expect(formatDuration(3, 12, "vi")).toMatch(/^3 giờ 12 phút$/);
  });
});

describe("template variables", () => {
  const body = "Hi {{1}}, your interview is on {{2}}. See you, {{1}}!";
  it("counts the highest placeholder", () => {
    expect(placeholderCount(body)).toBe(2);
    expect(placeholderCount("No variables")).toBe(0);
    expect(placeholderCount("Only {{ 3 }}")).toBe(3);
  });
  it("fills what is given and keeps the rest visible", () => {
    expect(fillTemplate(body, ["Ana", "Monday"])).toBe("Hi Ana, your interview is on Monday. See you, Ana!");
    expect(fillTemplate(body, ["Ana"])).toBe("Hi Ana, your interview is on {{2}}. See you, Ana!");
    expect(fillTemplate(body, ["  ", "Monday"])).toBe("Hi {{1}}, your interview is on Monday. See you, {{1}}!");
  });
  it("is ready only when every parameter has a value", () => {
    expect(templateReady(body, ["Ana", "Monday"])).toBe(true);
    expect(templateReady(body, ["Ana", " "])).toBe(false);
    expect(templateReady(body, ["Ana"])).toBe(false);
    expect(templateReady("Hello", [])).toBe(true);
  });
  it("searches names and bodies without case or accents", () => {
    const list = [
      { name: "interview_reminder", body: "Hi {{1}}" },
      { name: "promoção", body: "Olá, temos vagas" },
    ];
    expect(searchTemplates(list, "INTERVIEW rem").map((t) => t.name)).toEqual(["interview_reminder"]);
    expect(searchTemplates(list, "promocao").map((t) => t.name)).toEqual(["promoção"]);
    expect(searchTemplates(list, "vagas").map((t) => t.name)).toEqual(["promoção"]);
    expect(searchTemplates(list, "")).toHaveLength(2);
    expect(searchTemplates(list, "nothing")).toEqual([]);
  });
});

describe("message payloads", () => {
  it("reads a location and links it to a map", () => {
    const { location } = readPayload({ location: { latitude: -23.55, longitude: -46.633, name: "Office", address: "Av. Paulista" } });
    expect(location).toEqual({ latitude: -23.55, longitude: -46.633, name: "Office", address: "Av. Paulista", url: undefined });
    expect(mapUrl(location!)).toBe("https://www.openstreetmap.org/?mlat=-23.550000&mlon=-46.633000#map=16/-23.550000/-46.633000");
    expect(mapUrl({ latitude: 1, longitude: 2, url: "https://maps.example/x" })).toBe("https://maps.example/x");
    expect(mapUrl({ latitude: 1, longitude: 2, url: "javascript:alert(1)" })).toContain("openstreetmap");
  });
  it("ignores malformed parts", () => {
    const read = readPayload({ location: { latitude: "x" }, contacts: [null, { name: "Ana", phones: ["+55", 3] }], choice: { id: 1 } });
    expect(read.location).toBeUndefined();
    expect(read.contacts).toEqual([{ name: "Ana", phones: ["+55"], emails: [] }]);
    expect(read.choice).toBeUndefined();
    expect(readPayload(null).media).toEqual([]);
  });
});

describe("sending a failed message again", () => {
  it("resends a template as a template, with its parameters and quote", () => {
    const m = { body: "Hi Ana", attachments: [], payload: { template: { id: "t1", name: "hello", parameters: ["Ana"] } }, reply_to_message_id: "q1" };
    expect(retryBody(m, "c1")).toEqual({ body: "", client_message_id: "c1", template: { template_id: "t1", parameters: ["Ana"] }, reply_to_message_id: "q1" });
  });
  it("resends text with its files", () => {
    const m = { body: "See attached", attachments: [{ id: "a1" }], payload: null };
    expect(retryBody(m, "c2")).toEqual({ body: "See attached", client_message_id: "c2", attachment_ids: ["a1"], reply_to_message_id: null });
  });
});

describe("unsupported messages", () => {
  it("name the provider's type, or its error when the type is unknown", () => {
    expect(readPayload({ provider_type: "order" }).providerType).toBe("order");
    expect(readPayload({ details: { errors: [{ code: 131051, title: "Message type unknown" }] } }).errorTitle).toBe("Message type unknown");
    expect(readPayload({ details: { errors: "x" } }).errorTitle).toBeUndefined();
  });
});
