// Saved views and the inbox's filters: turning one into the other, and comparing them.
import type { Schemas } from "../api/client";

export type SavedView = Schemas["SavedViewRead"];
export type ViewFilters = Schemas["ViewFilters"];
export type BuiltInView = "mine" | "unassigned" | "team" | "all";
export type Status = "open" | "pending" | "snoozed" | "closed";
export type Priority = "low" | "normal" | "high" | "urgent";
export type SlaFilter = "at_risk" | "breached";

export const UNASSIGNED = "unassigned";

/** The filters under the inbox's views; an id of "unassigned" for the assignee means nobody. */
export interface InboxFilters {
  channel_id?: string;
  team_id?: string;
  tag_id?: string;
  assignee_id?: string;
  priorities?: Priority[];
  /** Only conversations whose SLA is at risk, or breached. */
  sla?: SlaFilter;
}

/** What the conversation list is asked for, for these filters. */
export function listQuery(f: InboxFilters) {
  return {
    channel_id: f.channel_id,
    team_id: f.team_id,
    tag_id: f.tag_id,
    assignee_id: f.assignee_id,
    priority: f.priorities?.length ? f.priorities : undefined,
    sla: f.sla,
  };
}

/** What a view saves of the inbox as shown: "mine" and "unassigned" become the assignee filter. */
export function toViewFilters(view: BuiltInView, statuses: Status[], f: InboxFilters, me: string): ViewFilters {
  let assignee = f.assignee_id ?? null;
  if (!assignee && view === "mine") assignee = me;
  if (!assignee && view === "unassigned") assignee = UNASSIGNED;
  return {
    statuses: statuses.length ? [...statuses] : ["open"],
    channel_id: f.channel_id ?? null,
    team_id: f.team_id ?? null,
    tag_id: f.tag_id ?? null,
    assignee_id: assignee,
    priorities: [...(f.priorities ?? [])],
    sla: f.sla ?? null,
  };
}

/** The inbox showing a saved view: the "all" view narrowed by its filters. */
export function fromViewFilters(v: ViewFilters): { statuses: Status[]; filters: InboxFilters } {
  const filters: InboxFilters = {};
  if (v.channel_id) filters.channel_id = v.channel_id;
  if (v.team_id) filters.team_id = v.team_id;
  if (v.tag_id) filters.tag_id = v.tag_id;
  if (v.assignee_id) filters.assignee_id = v.assignee_id;
  if (v.priorities?.length) filters.priorities = [...v.priorities];
  if (v.sla) filters.sla = v.sla;
  return { statuses: v.statuses?.length ? [...v.statuses] : ["open"], filters };
}

function normal(v: ViewFilters): string {
  return JSON.stringify([
    [...(v.statuses ?? ["open"])].sort(),
    v.channel_id ?? null,
    v.team_id ?? null,
    v.tag_id ?? null,
    v.assignee_id ?? null,
    [...(v.priorities ?? [])].sort(),
    v.sla ?? null,
  ]);
}

/** Whether two sets of filters select the same conversations (order and absent fields aside). */
export function sameFilters(a: ViewFilters, b: ViewFilters): boolean {
  return normal(a) === normal(b);
}

/** Whether `role` may rename, refilter or delete the view: its owner, or an admin if it is shared. */
export function mayChange(view: SavedView, me: string, role: string | undefined): boolean {
  if (view.is_shared) return role === "owner" || role === "manager";
  return view.owner_id === me;
}
