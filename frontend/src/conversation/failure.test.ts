import { beforeAll, describe, expect, it } from "vitest";
import { translator } from "../i18n/testing";
import type { Translate } from "../i18n/translate";
import { failureReason } from "./failure";

const translators = {} as Record<"en" | "pt-BR" | "vi", Translate>;

beforeAll(async () => {
  for (const lng of ["en", "pt-BR", "vi"] as const) translators[lng] = await translator(lng);
});

describe("why a message was not delivered", () => {
  const unconfirmed = { code: "send_unconfirmed", message: "Sending stopped before ..." };

  it("tells a send cut short in the agent's language", () => {
    expect(failureReason(translators.en, unconfirmed)).toMatch(/may or may not have reached the customer/);
    expect(failureReason(translators["pt-BR"], unconfirmed)).toMatch(/pode ou não ter chegado ao cliente/);
    expect(failureReason(translators.vi, unconfirmed)).toMatch(/có thể đã hoặc chưa đến khách/);
  });

  it("keeps a provider's own words with its code", () => {
    const meta = { code: "131047", message: "more than 24 hours since the last reply" };
    expect(failureReason(translators.vi, meta)).toBe("more than 24 hours since the last reply (131047)");
  });

  it("says when the provider gave no reason", () => {
    expect(failureReason(translators["pt-BR"], null)).toBe("o provedor não informou o motivo");
  });
});
