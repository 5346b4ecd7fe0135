// The workflows API as TanStack queries: the list, one workflow, its versions and diff, its runs,
// one run with its steps, templates, shortcuts and the variable catalogue.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type Schemas, api, unwrap } from "../api/client";
import type { paths } from "../api/schema";

export type WorkflowSummary = Schemas["WorkflowSummary"];
export type WorkflowRead = Schemas["WorkflowRead"];
export type WorkflowStatus = WorkflowSummary["status"];
export type VersionSummary = Schemas["WorkflowVersionSummary"];
export type WorkflowDiff = Schemas["WorkflowDiff"];
export type Run = Schemas["RunRead"];
export type RunDetail = Schemas["RunDetailRead"];
export type StepRun = Schemas["StepRunRead"];
export type RunStatus = Run["status"];
// By the route, not by name: a workflow template and a message template share a schema name.
export type Template = paths["/api/v1/workflow-templates"]["get"]["responses"][200]["content"]["application/json"][number];
export type Shortcut = Schemas["ShortcutRead"];

export const RUN_STATUSES: readonly RunStatus[] = ["running", "waiting", "completed", "failed", "cancelled"];
export const WORKFLOWS_KEY = ["workflows"] as const;
export const workflowKeys = {
  list: (archived: boolean) => [...WORKFLOWS_KEY, "list", archived] as const,
  one: (id: string) => [...WORKFLOWS_KEY, "one", id] as const,
  versions: (id: string) => [...WORKFLOWS_KEY, "versions", id] as const,
  runs: (id: string, status: RunStatus | null) => [...WORKFLOWS_KEY, "runs", id, status] as const,
  run: (id: string) => [...WORKFLOWS_KEY, "run", id] as const,
  conversationRuns: (id: string) => [...WORKFLOWS_KEY, "conversation", id] as const,
};

/** A run still moving: its view refreshes until it ends. */
export function isActive(status: RunStatus | undefined): boolean {
  return status === "running" || status === "waiting";
}

/** How often a list of runs refreshes: soon while one is running, slowly while they only wait
 * (for a reply or a time, maybe for days), not at all once every run has ended. */
export function refreshEvery(runs: readonly Pick<Run, "status">[] | undefined): number | false {
  if (runs?.some((r) => r.status === "running")) return 3_000;
  if (runs?.some((r) => r.status === "waiting")) return 30_000;
  return false;
}

export function useWorkflows(includeArchived: boolean) {
  return useQuery({
    queryKey: workflowKeys.list(includeArchived),
    queryFn: () => unwrap(api.GET("/api/v1/workflows", { params: { query: { include_archived: includeArchived } } })),
    placeholderData: keepPreviousData,
  });
}

export function useWorkflow(id: string) {
  return useQuery({
    queryKey: workflowKeys.one(id),
    queryFn: () => unwrap(api.GET("/api/v1/workflows/{workflow_id}", { params: { path: { workflow_id: id } } })),
    // The builder owns the draft once loaded: a refetch must not overwrite what is being edited.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

export function useVersions(id: string, enabled = true) {
  return useQuery({
    queryKey: workflowKeys.versions(id),
    queryFn: () => unwrap(api.GET("/api/v1/workflows/{workflow_id}/versions", { params: { path: { workflow_id: id } } })),
    enabled,
  });
}

export function useDiff(id: string, from: string | null, to: string) {
  return useQuery({
    queryKey: [...WORKFLOWS_KEY, "diff", id, from, to],
    queryFn: () =>
      unwrap(api.GET("/api/v1/workflows/{workflow_id}/diff", { params: { path: { workflow_id: id }, query: { from: from ?? undefined, to } } })),
    enabled: from !== null,
  });
}

export function useWorkflowRuns(id: string, status: RunStatus | null) {
  return useQuery({
    queryKey: workflowKeys.runs(id, status),
    queryFn: () =>
      unwrap(api.GET("/api/v1/workflows/{workflow_id}/runs", { params: { path: { workflow_id: id }, query: { status: status ?? undefined, limit: 50 } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => refreshEvery(query.state.data?.items),
  });
}

export function useRun(id: string | null) {
  return useQuery({
    queryKey: workflowKeys.run(id ?? ""),
    queryFn: () => unwrap(api.GET("/api/v1/workflow-runs/{run_id}", { params: { path: { run_id: id ?? "" } } })),
    enabled: Boolean(id),
    // The steps show as they are taken.
    refetchInterval: (query) => (query.state.data?.status === "running" ? 1_500 : query.state.data?.status === "waiting" ? 10_000 : false),
  });
}

export function useConversationRuns(conversationId: string, enabled: boolean) {
  return useQuery({
    queryKey: workflowKeys.conversationRuns(conversationId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/conversations/{conversation_id}/workflow-runs", {
          params: { path: { conversation_id: conversationId }, query: { limit: 20 } },
        }),
      ),
    enabled,
    refetchInterval: (query) => refreshEvery(query.state.data?.items),
  });
}

export function useTemplates(language: string, enabled: boolean) {
  return useQuery({
    queryKey: [...WORKFLOWS_KEY, "templates", language],
    queryFn: () => unwrap(api.GET("/api/v1/workflow-templates", { params: { query: { language: language as "en" | "pt-BR" | "vi" } } })),
    enabled,
    staleTime: 300_000,
  });
}

export function useShortcuts(enabled: boolean) {
  return useQuery({
    queryKey: [...WORKFLOWS_KEY, "shortcuts"],
    queryFn: () => unwrap(api.GET("/api/v1/workflows/shortcuts")),
    enabled,
    staleTime: 60_000,
  });
}

export function useVariables() {
  return useQuery({
    queryKey: [...WORKFLOWS_KEY, "variables"],
    queryFn: () => unwrap(api.GET("/api/v1/workflows/variables")),
    staleTime: 300_000,
  });
}

/** Names of the workspace's things a step points at (teams, tags, members, custom fields, other
 * workflows), for the step editor's pickers. */
export function usePickers() {
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => unwrap(api.GET("/api/v1/teams")), staleTime: 60_000 });
  const tags = useQuery({ queryKey: ["tags"], queryFn: () => unwrap(api.GET("/api/v1/tags")), staleTime: 60_000 });
  const members = useQuery({
    queryKey: ["members"],
    queryFn: () => unwrap(api.GET("/api/v1/members", { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });
  const fields = useQuery({ queryKey: ["custom-fields"], queryFn: () => unwrap(api.GET("/api/v1/custom-fields")), staleTime: 30_000 });
  const workflows = useWorkflows(false);
  return {
    teams: (teams.data ?? []).map((t) => ({ value: t.id, label: t.name })),
    tags: (tags.data ?? []).map((t) => ({ value: t.id, label: t.name })),
    agents: (members.data?.items ?? []).map((m) => ({ value: m.user_id, label: m.name })),
    fields: (fields.data ?? []).map((f) => ({ value: f.key, label: f.label })),
    workflows: (workflows.data ?? []).map((w) => ({ value: w.id, label: w.name })),
  };
}
