import { beforeAll, describe, expect, it } from "vitest";
import { languageChoices, languageName } from "../contacts/languages";
import { translator } from "../i18n/testing";
import { type Assignment, type Translate, explainDecision } from "./explain";

const translators = {} as Record<"en" | "pt-BR" | "vi", Translate>;

beforeAll(async () => {
  for (const lng of ["en", "pt-BR", "vi"] as const) translators[lng] = await translator(lng);
});

const BOB = "00000000-0000-0000-0000-00000000000b";
const MINH = "00000000-0000-0000-0000-00000000000e";
const names = { [BOB]: "Bob", [MINH]: "Minh" };

const routedByLanguage: Assignment = {
  id: "a1",
  conversation_id: "c1",
  team_id: "t1",
  user_id: MINH,
  user_name: "Minh",
  source: "rule",
  rule: "strategy",
  strategy: "round_robin",
  candidates: [
    { user_id: BOB, name: "Bob", state: "online", open: 0, capacity: 3, reason: "does_not_speak_language", language: "vi", speaks_language: false },
    { user_id: MINH, name: "Minh", state: "online", open: 1, capacity: 3, reason: "chosen", language: "vi", speaks_language: true },
  ],
  decided_by_id: null,
  decided_at: "2026-05-01T12:00:00Z",
  ended_at: null,
  end_reason: null,
};

describe("a decision routed by language", () => {
  it("says the chosen agent speaks the customer's language and the other does not", () => {
    const ctx = (lng: string) => ({ me: BOB, names, awayReasons: {}, languageName: (code: string) => languageName(code, lng) });
    const en = explainDecision(routedByLanguage, ctx("en"), translators.en);
    expect(en.summary).toBe("Assigned by round robin: Minh was idle longest. Minh speaks Vietnamese, the customer's language.");
    expect(en.others).toEqual(["You were available, but not a speaker of Vietnamese."]);
    const pt = explainDecision(routedByLanguage, ctx("pt-BR"), translators["pt-BR"]);
    expect(pt.summary).toContain("Minh fala vietnamita, o idioma do cliente.");
    expect(pt.others).toEqual(["Você estava disponível, mas não fala vietnamita."]);
    const vi = explainDecision(routedByLanguage, { ...ctx("vi"), me: MINH }, translators.vi);
    expect(vi.summary).toContain("Bạn nói được Tiếng Việt, ngôn ngữ của khách.");
  });

  it("says nothing of languages when the team does not route by them", () => {
    const plain = { ...routedByLanguage, candidates: routedByLanguage.candidates.map(({ language, speaks_language, ...c }) => c) };
    plain.candidates[0] = { ...plain.candidates[0], reason: "assigned_more_recently" };
    const words = explainDecision(plain, { me: BOB, names, awayReasons: {} }, translators.en);
    expect(words.summary).toBe("Assigned by round robin: Minh was idle longest.");
  });
});

describe("language choices", () => {
  it("offers the app's languages first, then others by name, keeping an unusual current one", () => {
    const groups = languageChoices("en", { product: "App", others: "Other" }, "sw");
    const product = groups[0]?.items ?? [];
    const others = groups[1]?.items ?? [];
    expect(product.map((i) => i.value)).toEqual(["en", "pt-BR", "vi"]);
    expect(others.map((i) => i.value)).toContain("sw");
    const labels = others.map((i) => i.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, "en")));
    expect(languageName("pt-BR", "pt-BR")).toMatch(/português/i);
  });
});
