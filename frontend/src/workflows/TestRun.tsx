// A test run of the draft against a sample contact: every step is recorded and nothing is sent;
// the steps show as they are taken.
import { Alert, Button, JsonInput, Select, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, errorMessage, unwrap } from "../api/client";
import { workflowKeys } from "./api";
import type { Definition } from "./definition";
import { RunById } from "./RunSteps";

export function TestRun({ workflowId, definition, blocked }: { workflowId: string; definition: Definition; blocked: boolean }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 250);
  const [contact, setContact] = useState<string | null>(null);
  const [variables, setVariables] = useState("");
  const [runId, setRunId] = useState<string | null>(null);
  const contacts = useQuery({
    queryKey: ["contacts", "pick", q],
    queryFn: () => unwrap(api.GET("/api/v1/contacts", { params: { query: { q: q || undefined, limit: 20, sort: "recent" } } })),
    placeholderData: keepPreviousData,
  });
  let parsed: Record<string, unknown> | null = null;
  let badVariables = false;
  if (variables.trim()) {
    try {
      const value: unknown = JSON.parse(variables);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) parsed = value as Record<string, unknown>;
      else badVariables = true;
    } catch {
      badVariables = true;
    }
  }
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/workflows/{workflow_id}/test-runs", {
          params: { path: { workflow_id: workflowId } },
          body: { contact_id: contact ?? "", variables: parsed },
        }),
      ),
    onSuccess: (run) => {
      queries.setQueryData(workflowKeys.run(run.id), run);
      setRunId(run.id);
    },
  });
  return (
    <Stack gap="sm">
      <Text size="sm">{t("workflows.test.explain")}</Text>
      <Select
        label={t("workflows.test.contact")}
        placeholder={t("workflows.test.search")}
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options }) => options}
        data={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: [c.name, c.phone ?? c.email].filter(Boolean).join(" · ") }))}
        value={contact}
        onChange={setContact}
        nothingFoundMessage={t("workflows.test.noContact")}
      />
      <JsonInput
        label={t("workflows.test.variables")}
        description={t("workflows.test.variablesHint")}
        placeholder='{"cpf": "123.456.789-09"}'
        autosize
        minRows={2}
        value={variables}
        onChange={setVariables}
        error={badVariables ? t("workflows.test.badVariables") : undefined}
      />
      {blocked && (
        <Alert color="yellow" p="xs">
          {t("workflows.test.blocked")}
        </Alert>
      )}
      <Button disabled={!contact || badVariables || blocked} loading={start.isPending} onClick={() => start.mutate()} style={{ alignSelf: "flex-start" }}>
        {t("workflows.test.start")}
      </Button>
      {start.error && <Alert color="red">{errorMessage(start.error)}</Alert>}
      {runId && <RunById runId={runId} definition={definition} canAct />}
    </Stack>
  );
}
