// The selected step's settings: its name, what it does (a form per step type), where each of its
// outlets leads (the same links as on the canvas, for keyboard and touch), and its problems.
import { Alert, Badge, Button, Group, List, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { type ReactNode, useRef } from "react";
import { useTranslation } from "react-i18next";
import { fieldProblems } from "./checks";
import { type Config, type Definition, type Step, type StepType, connect, outletsOf, removeStep, updateStep } from "./definition";
import type { FormProps } from "./forms/common";
import { BranchForm, BusinessHoursForm, DateBranchForm, JumpForm, StartWorkflowForm, WaitForm } from "./forms/logic";
import { AskQuestionForm, HandoverForm, NoteForm, SendMessageForm } from "./forms/messages";
import { AssignForm, HttpRequestForm, SetStatusForm, TagForm, UpdateContactForm } from "./forms/people";
import type { Problem } from "./graph";
import { useOutletName } from "./nodes";

const FORMS: Partial<Record<StepType, (props: FormProps) => ReactNode>> = {
  send_message: SendMessageForm,
  ask_question: AskQuestionForm,
  note: NoteForm,
  handover: HandoverForm,
  branch: BranchForm,
  business_hours: BusinessHoursForm,
  date_branch: DateBranchForm,
  wait: WaitForm,
  jump: JumpForm,
  start_workflow: StartWorkflowForm,
  assign: AssignForm,
  tag: TagForm,
  update_contact: UpdateContactForm,
  set_status: SetStatusForm,
  http_request: HttpRequestForm,
};

/** A problem in the user's language: the graph's codes and the browser's checks are translated,
 * the server's own messages about a step's settings are shown as it wrote them. */
export function useProblemText() {
  const { t } = useTranslation();
  return (problem: Problem, outletName?: string) => {
    if ("key" in problem && typeof problem.key === "string") return t(`workflows.check.${problem.key}`);
    const known = ["no_steps", "no_start", "duplicate_id", "dangling_outlet", "unknown_step", "unknown_outlet", "unreachable"];
    if (known.includes(problem.code)) return t(`workflows.problem.${problem.code}`, { outlet: outletName ?? problem.outlet ?? "" });
    return problem.message;
  };
}

interface StepEditorProps {
  step: Step;
  definition: Definition;
  problems: readonly Problem[];
  readOnly: boolean;
  onChange: (definition: Definition) => void;
  onClose: () => void;
}

export function StepEditor({ step, definition, problems, readOnly, onChange, onClose }: StepEditorProps) {
  const { t } = useTranslation();
  const outletName = useOutletName();
  const problemText = useProblemText();
  const mine = problems.filter((p) => p.step_id === step.id);
  // Edits made one after another in one event build on each other, not on the same old draft.
  const latest = useRef(definition);
  latest.current = definition;
  const change = (fn: (s: Step) => Step) => {
    latest.current = updateStep(latest.current, step.id, fn);
    onChange(latest.current);
  };
  const setConfig = (config: Config) => change((s) => ({ ...s, config }));
  const set = (key: string, value: unknown) =>
    change((s) => {
      const config = { ...s.config };
      if (value === undefined) delete config[key];
      else config[key] = value;
      return { ...s, config };
    });
  const Form = FORMS[step.type];
  const others = definition.steps.filter((s) => s.id !== step.id).map((s) => ({ value: s.id, label: s.name || `${t(`workflows.step.${s.type}`)} · ${s.id}` }));
  const selfOption = { value: step.id, label: t("workflows.editor.itself") };
  return (
    <Stack gap="sm" p="md" aria-label={t("workflows.editor.title")}>
      <Group justify="space-between" wrap="nowrap">
        <Title order={3} size="h5">
          {t(`workflows.step.${step.type}`)}
        </Title>
        <Button size="compact-sm" variant="subtle" onClick={onClose}>
          {t("workflows.editor.close")}
        </Button>
      </Group>
      {mine.length > 0 && (
        <Alert color="red" p="xs" title={t("workflows.editor.problems")}>
          <List size="sm">
            {mine.map((p, i) => (
              <List.Item key={i}>{problemText(p, p.outlet ? outletName(step, p.outlet) : undefined)}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="sm">
          <TextInput label={t("workflows.editor.name")} value={step.name} maxLength={120} onChange={(e) => change((s) => ({ ...s, name: e.currentTarget.value }))} />
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              {t("workflows.editor.id", { id: step.id })}
            </Text>
            {definition.start === step.id ? (
              <Badge size="sm" variant="light">
                {t("workflows.canvas.start")}
              </Badge>
            ) : (
              <Button size="compact-xs" variant="subtle" onClick={() => onChange({ ...definition, start: step.id })}>
                {t("workflows.editor.makeStart")}
              </Button>
            )}
          </Group>
          {Form && <Form step={step} definition={definition} problems={fieldProblems(problems, step.id)} set={set} setConfig={setConfig} />}
          {outletsOf(step).length > 0 && (
            <Stack gap={4} role="group" aria-label={t("workflows.editor.links")}>
              <Text size="sm" fw={500}>
                {t("workflows.editor.links")}
              </Text>
              {outletsOf(step).map((outlet) => (
                <Select
                  key={outlet}
                  size="xs"
                  label={t("workflows.editor.goesTo", { outlet: outletName(step, outlet) })}
                  placeholder={t("workflows.editor.nowhere")}
                  data={[...others, selfOption]}
                  value={step.next[outlet] ?? null}
                  clearable
                  searchable
                  error={mine.some((p) => p.outlet === outlet) ? true : undefined}
                  onChange={(target) => onChange(connect(definition, step.id, outlet, target))}
                />
              ))}
            </Stack>
          )}
          <Button
            color="red"
            variant="light"
            onClick={() => {
              onChange(removeStep(definition, step.id));
              onClose();
            }}
          >
            {t("workflows.editor.delete")}
          </Button>
        </Stack>
      </fieldset>
    </Stack>
  );
}
