import { describe, expect, it } from "vitest";
import { type ChoicesDraft, buildInteractive, choiceId, choiceLimits, moveItem, newChoice, newDraft, problems, textLength } from "./choices";

// As the server states them on a channel read (`choice_limits`).
const STATED = { body: 1024, buttons: 3, button_title: 20, rows: 10, row_title: 24, row_description: 72, button_label: 20, section_title: 24, titled_sections: true };
const WHATSAPP = choiceLimits(STATED)!;
const MESSENGER = choiceLimits({ ...STATED, body: 2000, row_title: 20, titled_sections: false })!;

function draft(kind: ChoicesDraft["kind"], titles: string[], extra: Partial<ChoicesDraft> = {}): ChoicesDraft {
  return { ...newDraft(kind), choices: titles.map((t) => newChoice(t)), ...extra };
}

const keys = (found: { key: string }[]) => found.map((p) => p.key);

describe("the limits the server states for a channel", () => {
  it("are nothing where the channel cannot carry buttons or lists", () => {
    expect(choiceLimits(null)).toBeUndefined();
    expect(choiceLimits(undefined)).toBeUndefined();
  });
  it("are read field by field", () => {
    expect(WHATSAPP).toEqual({ body: 1024, buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24, rowDescription: 72, buttonLabel: 20, sectionTitle: 24 });
    expect(MESSENGER.rowTitle).toBe(20);
    expect(MESSENGER.body).toBe(2000);
  });
});

describe("what stops a draft", () => {
  it("passes a good set of buttons", () => {
    expect(problems(draft("buttons", ["Yes", "No"]), "Can you come?", WHATSAPP)).toEqual([]);
  });
  it("needs a message, within the channel's length", () => {
    expect(keys(problems(draft("buttons", ["Yes"]), "   ", WHATSAPP))).toEqual(["body"]);
    expect(problems(draft("buttons", ["Yes"]), "b".repeat(1025), WHATSAPP)).toEqual([{ key: "bodyLong", values: { max: 1024 } }]);
    expect(problems(draft("buttons", ["Yes"]), "b".repeat(1024), WHATSAPP)).toEqual([]);
  });
  it("counts characters as the server does: trimmed, emoji as one", () => {
    expect(textLength("  Sim 👍 ")).toBe(5);
    expect(problems(draft("buttons", ["👍".repeat(20)]), "Ok?", WHATSAPP)).toEqual([]);
  });
  it("refuses empty, long and repeated titles, naming the choice", () => {
    const found = problems(draft("buttons", ["Yes", " ", "A title of 21 chars.."]), "Ok?", WHATSAPP);
    expect(found).toEqual([
      { key: "buttonEmpty", values: { n: 2 } },
      { key: "buttonLong", values: { n: 3, max: 20 } },
    ]);
    expect(problems(draft("buttons", ["Yes", "YES "]), "Ok?", WHATSAPP)).toEqual([{ key: "sameTitle", values: { n: 2 } }]);
  });
  it("refuses more buttons than the channel takes, and none at all", () => {
    expect(keys(problems(draft("buttons", ["A", "B", "C", "D"]), "Ok?", WHATSAPP))).toEqual(["tooMany"]);
    expect(keys(problems(draft("buttons", []), "Ok?", WHATSAPP))).toEqual(["none"]);
  });
  it("checks a list's label, section title, rows and descriptions", () => {
    const list = draft("list", ["Morning", "R".repeat(25)], { buttonLabel: "", sectionTitle: "S".repeat(25) });
    list.choices[0]!.description = "d".repeat(73);
    expect(keys(problems(list, "Pick one", WHATSAPP))).toEqual(["label", "sectionLong", "descriptionLong", "rowLong"]);
    const eleven = draft("list", Array.from({ length: 11 }, (_, i) => `Row ${i}`), { buttonLabel: "Slots" });
    expect(keys(problems(eleven, "Pick one", WHATSAPP))).toEqual(["tooMany"]);
  });
  it("holds rows to 20 characters where they become quick replies", () => {
    const list = draft("list", ["A row of 21 characters"], { buttonLabel: "Slots" });
    expect(problems(list, "Pick", WHATSAPP)).toEqual([]);
    expect(problems(list, "Pick", MESSENGER)).toEqual([{ key: "rowLong", values: { n: 1, max: 20 } }]);
  });
});

describe("ids and order", () => {
  it("makes ids from titles, unique within the message", () => {
    const taken = new Set<string>();
    expect(choiceId("Monday 10:00", taken)).toBe("monday-10-00");
    expect(choiceId("Segunda-feira às 9h", taken)).toBe("segunda-feira-as-9h");
    expect(choiceId("Monday 10:00!", taken)).toBe("monday-10-00-2");
    expect(choiceId("👍", taken)).toBe("choice");
    expect(choiceId("Thứ Hai", taken)).toBe("thu-hai");
  });
  it("moves a choice up or down and ignores moves off the ends", () => {
    expect(moveItem(["a", "b", "c"], 2, 1)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moveItem(["a", "b", "c"], 2, 3)).toEqual(["a", "b", "c"]);
  });
});

describe("what is sent", () => {
  it("builds reply buttons in order with trimmed titles", () => {
    expect(buildInteractive(draft("buttons", [" Yes ", "No"]))).toEqual({
      type: "buttons",
      buttons: [
        { id: "yes", title: "Yes" },
        { id: "no", title: "No" },
      ],
    });
  });
  it("builds a list of one section, leaving out what is empty", () => {
    const list = draft("list", ["Morning", "Afternoon"], { buttonLabel: " See slots ", sectionTitle: "" });
    list.choices[1]!.description = " 14:00 to 18:00 ";
    expect(buildInteractive(list)).toEqual({
      type: "list",
      button_label: "See slots",
      sections: [
        {
          rows: [
            { id: "morning", title: "Morning" },
            { id: "afternoon", title: "Afternoon", description: "14:00 to 18:00" },
          ],
        },
      ],
    });
    expect(buildInteractive({ ...list, sectionTitle: "Tomorrow" }).sections?.[0]?.title).toBe("Tomorrow");
  });
});
