// The draft being edited: kept in the browser, saved a moment after each pause in editing with
// the version it started from (409: someone else saved; the editor offers to reload theirs), and
// checked by the server after each save so its own problems show on the canvas too.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { ApiError, api, errorMessage, unwrap } from "../api/client";
import { WORKFLOWS_KEY, type WorkflowRead, workflowKeys } from "./api";
import { type Definition, normalise } from "./definition";
import type { Problem } from "./graph";
import { autoLayout, needsLayout } from "./layout";
import { SAVE_AFTER_MS, initialSave, saveReducer, shouldSave } from "./save";

function startingDefinition(workflow: WorkflowRead): Definition {
  const definition = normalise(workflow.draft);
  return needsLayout(definition) ? autoLayout(definition) : definition;
}

export function useDraft(workflow: WorkflowRead) {
  const queries = useQueryClient();
  const [definition, setDefinition] = useState(() => startingDefinition(workflow));
  const [name, setName] = useState(workflow.name);
  const [save, dispatch] = useReducer(saveReducer, workflow.version, initialSave);
  const [serverProblems, setServerProblems] = useState<Problem[]>([]);
  const latest = useRef({ definition, name });
  latest.current = { definition, name };

  const validate = useCallback(async () => {
    try {
      const answer = await unwrap(api.POST("/api/v1/workflows/{workflow_id}/validate", { params: { path: { workflow_id: workflow.id } } }));
      setServerProblems(answer.problems);
      return answer.problems;
    } catch {
      return null;
    }
  }, [workflow.id]);
  useEffect(() => {
    void validate();
  }, [validate]);

  useEffect(() => {
    if (!shouldSave(save)) return;
    const timer = window.setTimeout(async () => {
      dispatch({ type: "start" });
      const { definition: draft, name: title } = latest.current;
      try {
        const saved = await unwrap(
          api.PATCH("/api/v1/workflows/{workflow_id}", {
            params: { path: { workflow_id: workflow.id } },
            body: { version: save.version, draft, name: title.trim() || workflow.name },
          }),
        );
        dispatch({ type: "saved", version: saved.version });
        queries.setQueryData(workflowKeys.one(workflow.id), saved);
        void queries.invalidateQueries({ queryKey: [...WORKFLOWS_KEY, "list"] });
        void validate();
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) dispatch({ type: "conflict" });
        else dispatch({ type: "failed", message: errorMessage(error) });
      }
    }, SAVE_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [save, workflow.id, workflow.name, queries, validate]);

  // Leaving the builder (in the app) with an edit not saved yet saves it at once.
  const pending = useRef({ save, id: workflow.id, fallbackName: workflow.name });
  pending.current = { save, id: workflow.id, fallbackName: workflow.name };
  useEffect(
    () => () => {
      const { save: last, id, fallbackName } = pending.current;
      if (last.status !== "pending") return;
      const { definition: draft, name: title } = latest.current;
      void api.PATCH("/api/v1/workflows/{workflow_id}", {
        params: { path: { workflow_id: id } },
        body: { version: last.version, draft, name: title.trim() || fallbackName },
      });
    },
    [],
  );

  // Leaving the page with an edit not saved yet asks first.
  useEffect(() => {
    if (save.status === "saved") return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [save.status]);

  const edit = useCallback((next: Definition) => {
    setDefinition(next);
    dispatch({ type: "edit" });
  }, []);
  const rename = useCallback((next: string) => {
    setName(next);
    dispatch({ type: "edit" });
  }, []);
  /** Take the server's draft (after a conflict, a rollback or a publish elsewhere). */
  const reload = useCallback(async () => {
    const fresh = await unwrap(api.GET("/api/v1/workflows/{workflow_id}", { params: { path: { workflow_id: workflow.id } } }));
    queries.setQueryData(workflowKeys.one(workflow.id), fresh);
    setDefinition(startingDefinition(fresh));
    setName(fresh.name);
    dispatch({ type: "reloaded", version: fresh.version });
    void validate();
  }, [workflow.id, queries, validate]);

  return { definition, name, save, serverProblems, setServerProblems, edit, rename, reload, validate };
}
