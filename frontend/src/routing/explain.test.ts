import { beforeAll, describe, expect, it } from "vitest";
import { translator } from "../i18n/testing";
import { type Assignment, type Translate, awayReasonsAt, explainDecision, howDecided } from "./explain";

let en: Translate;
let pt: Translate;

beforeAll(async () => {
  en = await translator("en");
  pt = await translator("pt-BR");
});

const BOB = "00000000-0000-0000-0000-00000000000b";
const CAROL = "00000000-0000-0000-0000-00000000000c";
const DAN = "00000000-0000-0000-0000-00000000000d";
const ALICE = "00000000-0000-0000-0000-00000000000a";

function decision(change: Partial<Assignment>): Assignment {
  return {
    id: "a1",
    conversation_id: "c1",
    team_id: "t1",
    user_id: BOB,
    user_name: "Bob",
    source: "rule",
    rule: "strategy",
    strategy: "round_robin",
    candidates: [
      { user_id: BOB, name: "Bob", state: "online", open: 1, capacity: 2, reason: "chosen" },
      { user_id: CAROL, name: "Carol", state: "online", open: 2, capacity: 2, reason: "at_capacity" },
      { user_id: DAN, name: "Dan", state: "away", open: 0, capacity: 2, reason: "away" },
    ],
    decided_by_id: null,
    decided_at: "2026-05-01T12:00:00Z",
    ended_at: null,
    end_reason: null,
    ...change,
  };
}

const names = { [ALICE]: "Alice", [BOB]: "Bob", [CAROL]: "Carol", [DAN]: "Dan" };

describe("why a conversation was assigned", () => {
  it("speaks to the agent it was given to, and says why each other agent was skipped", () => {
    const words = explainDecision(decision({}), { me: BOB, names, awayReasons: { [DAN]: "Lunch" } }, en);
    expect(words.summary).toBe("Assigned by round robin: you were idle longest.");
    expect(words.others).toEqual(["Carol was skipped: at capacity (2/2).", "Dan was skipped: away (Lunch)."]);
  });

  it("names the agent for someone else, and leaves out an away reason it cannot vouch for", () => {
    const words = explainDecision(decision({}), { me: ALICE, names, awayReasons: {} }, en);
    expect(words.summary).toBe("Assigned by round robin: Bob was idle longest.");
    expect(words.others).toContain("Dan was skipped: away.");
  });

  it("says when an available agent lost to the strategy", () => {
    const a = decision({
      strategy: "least_open",
      candidates: [
        { user_id: BOB, name: "Bob", state: "online", open: 0, capacity: 3, reason: "chosen" },
        { user_id: CAROL, name: "Carol", state: "online", open: 2, capacity: 3, reason: "more_open_or_less_idle" },
      ],
    });
    const words = explainDecision(a, { me: CAROL, names, awayReasons: {} }, en);
    expect(words.summary).toBe("Assigned to the agent with the fewest open conversations: Bob had 0.");
    expect(words.others).toEqual(["You were available, but had more open conversations (2)."]);
  });

  it("explains the rules that come before the strategy", () => {
    const returning = decision({ rule: "returning", strategy: null });
    expect(explainDecision(returning, { me: BOB, names, awayReasons: {} }, en).summary).toBe(
      "A returning contact: back to you, who handled their last conversation.",
    );
    const owner = decision({
      rule: "owner",
      candidates: [
        { user_id: BOB, name: "Bob", state: "online", open: 0, capacity: 2, reason: "contact_owner" },
        { user_id: CAROL, name: "Carol", state: "online", open: 0, capacity: 2, reason: "contact_has_owner" },
      ],
    });
    const words = explainDecision(owner, { me: CAROL, names, awayReasons: {} }, en);
    expect(words.summary).toBe("Assigned to Bob because they own this contact.");
    expect(words.others).toEqual(["You: the contact's owner comes first."]);
  });

  it("names the away reason the decision stored, even if the agent is back since", () => {
    const stored = decision({
      candidates: [
        { user_id: BOB, name: "Bob", state: "online", open: 0, capacity: 2, reason: "chosen" },
        { user_id: DAN, name: "Dan", state: "away", state_reason: "Training", open: 0, capacity: 2, reason: "away" },
      ],
    });
    const words = explainDecision(stored, { me: BOB, names, awayReasons: {} }, en);
    expect(words.others.join(" ")).toContain("Training");
  });

  it("tells a hand-made assignment apart from one a person took", () => {
    const manual = decision({ source: "manual", rule: "manual", strategy: null, candidates: [], decided_by_id: ALICE });
    expect(explainDecision(manual, { me: BOB, names, awayReasons: {} }, en).summary).toBe("Alice assigned it to you.");
    expect(explainDecision(manual, { me: ALICE, names, awayReasons: {} }, en).summary).toBe("You assigned it to Bob.");
    const took = { ...manual, decided_by_id: BOB };
    expect(explainDecision(took, { me: BOB, names, awayReasons: {} }, en).summary).toBe("You took it yourself.");
    expect(howDecided(manual, { me: BOB, names, awayReasons: {} }, en)).toBe("by hand, by Alice");
  });

  it("explains a conversation left waiting, with everyone's reason", () => {
    const queued = decision({
      user_id: null,
      user_name: null,
      rule: "queued",
      candidates: [
        { user_id: BOB, name: "Bob", state: "online", open: 2, capacity: 2, reason: "at_capacity" },
        { user_id: CAROL, name: "Carol", state: "offline", open: 0, capacity: 2, reason: "offline" },
      ],
    });
    const words = explainDecision(queued, { me: BOB, names, awayReasons: {} }, en);
    expect(words.summary).toBe("Waiting in the queue: nobody in the team could take it.");
    expect(words.others).toEqual(["You were skipped: at capacity (2/2).", "Carol was skipped: offline."]);
    expect(howDecided(queued, { me: BOB, names, awayReasons: {} }, en)).toBe("waiting in the queue");
    const closed = decision({ user_id: null, user_name: null, rule: "closed", candidates: [] });
    expect(explainDecision(closed, { me: BOB, names, awayReasons: {} }, en).summary).toBe(
      "Waiting in the queue: the team was outside its business hours.",
    );
  });

  it("speaks Brazilian Portuguese", () => {
    const words = explainDecision(decision({}), { me: BOB, names, awayReasons: { [DAN]: "Almoço" } }, pt);
    expect(words.summary).toBe("Atribuída por rodízio: você estava há mais tempo sem receber conversas.");
    expect(words.others).toEqual(["Carol ficou de fora: no limite (2/2).", "Dan ficou de fora: ausente (Almoço)."]);
  });
});

describe("away reasons at the time of a decision", () => {
  const agents = [
    { user_id: DAN, state: "away", reason: "Lunch", state_since: "2026-05-01T11:30:00Z" },
    { user_id: CAROL, state: "away", reason: "Break", state_since: "2026-05-01T12:10:00Z" },
    { user_id: BOB, state: "online", reason: null, state_since: "2026-05-01T11:00:00Z" },
  ];

  it("keeps only reasons that held when the decision was made", () => {
    expect(awayReasonsAt("2026-05-01T12:00:00Z", agents)).toEqual({ [DAN]: "Lunch" });
  });
});
