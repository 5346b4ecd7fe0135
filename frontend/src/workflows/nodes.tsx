// The canvas's nodes: the trigger at the top, and one node per step with a handle per outlet,
// each labelled ("Reply", "Timeout", an option's title, a case's label), marked red when a check
// finds a fault in it.
import { Badge, Box, Group, Stack, Text } from "@mantine/core";
import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";
import { useTranslation } from "react-i18next";
import { type Step, type Trigger, outletLabel, outletsOf } from "./definition";
import type { Problem } from "./graph";

export type StepNodeData = { step: Step; problems: Problem[]; isStart: boolean };
export type TriggerNodeData = { trigger: Trigger; problems: Problem[] };
export type StepNode = Node<StepNodeData, "step">;
export type TriggerNode = Node<TriggerNodeData, "trigger">;

const NODE_WIDTH = 220;
const OUTLET_ROW = 26;

/** A short line about what the step does (its text, or nothing). */
export function stepSummary(step: Step): string {
  const text = step.config.text ?? step.config.url ?? "";
  return typeof text === "string" ? text.slice(0, 80) : "";
}

export function useOutletName() {
  const { t } = useTranslation();
  return (step: Step, outlet: string) => {
    const label = outletLabel(step, outlet);
    return "text" in label ? label.text : t(label.key);
  };
}

function frame(problems: boolean, selected: boolean) {
  return {
    width: NODE_WIDTH,
    background: "var(--mantine-color-body)",
    border: `${selected ? 2 : 1}px solid ${problems ? "var(--mantine-color-red-6)" : selected ? "var(--mantine-color-teal-6)" : "var(--mantine-color-gray-4)"}`,
    borderRadius: 8,
    boxShadow: "var(--mantine-shadow-xs)",
  };
}

export const StepNodeView = memo(function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  const { t } = useTranslation();
  const outletName = useOutletName();
  const { step, problems, isStart } = data;
  const outlets = outletsOf(step);
  const faulty = new Set(problems.map((p) => p.outlet).filter(Boolean));
  const title = step.name || step.id;
  return (
    <Box style={frame(problems.length > 0, Boolean(selected))}>
      <Handle type="target" position={Position.Top} aria-label={t("workflows.canvas.into", { name: title })} />
      <Stack gap={2} p="xs" pb={outlets.length ? 4 : "xs"}>
        <Group gap={4} justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed" tt="uppercase" truncate>
            {t(`workflows.step.${step.type}`)}
          </Text>
          {isStart && (
            <Badge size="xs" variant="light">
              {t("workflows.canvas.start")}
            </Badge>
          )}
        </Group>
        <Text size="sm" fw={600} truncate>
          {title}
        </Text>
        {stepSummary(step) && (
          <Text size="xs" c="dimmed" lineClamp={2}>
            {stepSummary(step)}
          </Text>
        )}
        {problems.length > 0 && (
          <Text size="xs" c="red.7">
            {t("workflows.canvas.problems", { count: problems.length })}
          </Text>
        )}
      </Stack>
      {outlets.map((outlet) => (
        <Box key={outlet} pos="relative" h={OUTLET_ROW} px="xs" style={{ borderTop: "1px solid var(--mantine-color-gray-2)" }}>
          <Text size="xs" ta="right" pr={8} lh={`${OUTLET_ROW}px`} c={faulty.has(outlet) ? "red.7" : undefined} truncate>
            {outletName(step, outlet)}
          </Text>
          <Handle
            type="source"
            id={outlet}
            position={Position.Right}
            aria-label={t("workflows.canvas.outlet", { name: title, outlet: outletName(step, outlet) })}
            style={{ top: OUTLET_ROW / 2, background: faulty.has(outlet) ? "var(--mantine-color-red-6)" : undefined }}
          />
        </Box>
      ))}
    </Box>
  );
});

export const TriggerNodeView = memo(function TriggerNodeView({ data, selected }: NodeProps<TriggerNode>) {
  const { t } = useTranslation();
  return (
    <Box style={{ ...frame(data.problems.length > 0, Boolean(selected)), background: "var(--mantine-color-teal-0)" }} p="xs">
      <Text size="xs" c="dimmed" tt="uppercase">
        {t("workflows.canvas.trigger")}
      </Text>
      <Text size="sm" fw={600}>
        {t(`workflows.trigger.${data.trigger.type}`)}
      </Text>
      <Handle type="source" id="start" position={Position.Bottom} aria-label={t("workflows.canvas.firstStep")} />
    </Box>
  );
});

export const NODE_TYPES = { step: StepNodeView, trigger: TriggerNodeView };
