import { describe, expect, it } from "vitest";
import { bodyFrom, formFrom } from "./CsatSettings";
import { stars } from "./ConversationCsat";

describe("CSAT settings form", () => {
  it("reads every team as null and sends back only the questions written", () => {
    const form = formFrom({
      enabled: true,
      questions: { vi: "Bạn thấy sao?" },
      team_ids: null,
      default_questions: { en: "?", "pt-BR": "?", vi: "?" },
    });
    expect(form.allTeams).toBe(true);
    expect(form.questions).toEqual({ en: "", "pt-BR": "", vi: "Bạn thấy sao?" });
    expect(bodyFrom({ ...form, questions: { ...form.questions, en: "  " } })).toEqual({
      enabled: true,
      questions: { vi: "Bạn thấy sao?" },
      team_ids: null,
    });
  });

  it("sends the chosen teams when not every team sends it", () => {
    const form = formFrom({ enabled: false, questions: {}, team_ids: ["t1"], default_questions: {} });
    expect(form.allTeams).toBe(false);
    expect(bodyFrom({ ...form, teamIds: ["t1", "t2"] }).team_ids).toEqual(["t1", "t2"]);
  });
});

describe("stars", () => {
  it("shows the rating out of five", () => {
    expect(stars(4)).toBe("★★★★☆");
    expect(stars(1)).toBe("★☆☆☆☆");
  });
});
