// The builder's canvas: the trigger and the steps as nodes, each outlet's link as an edge. Drag
// from an outlet to a step to connect it, select and press Delete to remove a step or a link,
// pinch or scroll to zoom; the palette adds a step below the one selected.
import "@xyflow/react/dist/style.css";
import { Button, Group, ScrollArea } from "@mantine/core";
import {
  Background,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
} from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { type Definition, type Position, STEP_TYPES, type StepType, addStep, connect, outletsOf, removeStep } from "./definition";
import type { Problem } from "./graph";
import { TRIGGER_ID, flowEdges, triggerPosition } from "./flow";
import { autoLayout, nodeHeight } from "./layout";
import { NODE_TYPES, type StepNode, type TriggerNode } from "./nodes";
import { Menu } from "../components/Menu";

type FlowNode = StepNode | TriggerNode;


interface CanvasProps {
  definition: Definition;
  problems: Map<string, Problem[]>;
  selected: string | null;
  readOnly?: boolean;
  onChange: (definition: Definition) => void;
  onSelect: (id: string | null) => void;
}

function buildNodes(definition: Definition, problems: Map<string, Problem[]>, selected: string | null, previous: FlowNode[]): FlowNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  const trigger: TriggerNode = {
    id: TRIGGER_ID,
    type: "trigger",
    // Always above the first step: it is not moved by hand.
    position: triggerPosition(definition),
    data: { trigger: definition.trigger, problems: problems.get("") ?? [] },
    deletable: false,
    draggable: false,
    selected: selected === TRIGGER_ID,
    measured: before.get(TRIGGER_ID)?.measured,
  };
  const steps: StepNode[] = definition.steps.map((step) => ({
    id: step.id,
    type: "step",
    position: step.position,
    data: { step, problems: problems.get(step.id) ?? [], isStart: definition.start === step.id },
    selected: selected === step.id,
    measured: before.get(step.id)?.measured,
    ariaLabel: step.name || step.id,
  }));
  return [trigger, ...steps];
}

export function Canvas(props: CanvasProps) {
  return (
    <ReactFlowProvider>
      <FlowCanvas {...props} />
    </ReactFlowProvider>
  );
}

function FlowCanvas({ definition, problems, selected, readOnly = false, onChange, onSelect }: CanvasProps) {
  const { t } = useTranslation();
  const flow = useReactFlow();
  const [nodes, setNodes] = useState<FlowNode[]>(() => buildNodes(definition, problems, selected, []));
  useEffect(() => setNodes((previous) => buildNodes(definition, problems, selected, previous)), [definition, problems, selected]);
  const [chosenEdges, setChosenEdges] = useState<ReadonlySet<string>>(new Set());
  const edges = useMemo(() => flowEdges(definition).map((e) => ({ ...e, selected: chosenEdges.has(e.id) })), [definition, chosenEdges]);
  const onEdgesChange = (changes: EdgeChange[]) => {
    setChosenEdges((current) => {
      const next = new Set(current);
      for (const change of changes) {
        if (change.type === "select") {
          if (change.selected) next.add(change.id);
          else next.delete(change.id);
        }
      }
      return next;
    });
  };

  const onNodesChange = (changes: NodeChange<FlowNode>[]) => {
    // Positions while dragging and measured sizes stay local; a drag's end is saved below.
    setNodes((current) => applyNodeChanges(changes.filter((c) => c.type !== "remove" && c.type !== "select"), current));
    // A node chosen from the keyboard (Tab, then Enter) opens its editor as a click does.
    const chosen = changes.find((c) => c.type === "select" && c.selected);
    if (chosen && "id" in chosen && chosen.id !== selected) onSelect(chosen.id);
  };
  const onConnect = (connection: Connection) => {
    if (readOnly || connection.source === connection.target) return;
    if (connection.source === TRIGGER_ID) onChange({ ...definition, start: connection.target });
    else if (connection.sourceHandle) onChange(connect(definition, connection.source, connection.sourceHandle, connection.target));
  };
  const onEdgesDelete = (removed: Edge[]) => {
    let next = definition;
    for (const edge of removed) {
      if (edge.source === TRIGGER_ID) next = { ...next, start: null };
      else if (edge.sourceHandle) next = connect(next, edge.source, edge.sourceHandle, null);
    }
    onChange(next);
  };
  const onNodesDelete = (removed: FlowNode[]) => {
    const next = removed.filter((n) => n.id !== TRIGGER_ID).reduce((d, n) => removeStep(d, n.id), definition);
    if (removed.some((n) => n.id === selected)) onSelect(null);
    onChange(next);
  };
  const onNodeDragStop = (_event: unknown, _node: FlowNode, dragged: FlowNode[]) => {
    const moved = new Map(dragged.filter((n) => n.id !== TRIGGER_ID).map((n) => [n.id, n.position]));
    if (moved.size === 0) return;
    onChange({ ...definition, steps: definition.steps.map((s) => (moved.has(s.id) ? { ...s, position: roundPosition(moved.get(s.id) as Position) } : s)) });
  };
  const add = (type: StepType) => {
    const from = definition.steps.find((s) => s.id === selected);
    const bounds = document.querySelector(".react-flow")?.getBoundingClientRect();
    const centre = bounds ? flow.screenToFlowPosition({ x: bounds.left + bounds.width / 2, y: bounds.top + bounds.height / 3 }) : { x: 0, y: 0 };
    // Below the selected step, else below every step (in the middle of the view), never on one.
    const bottom = Math.max(0, ...definition.steps.map((s) => s.position.y + nodeHeight(s) + 60));
    const at = from ? { x: from.position.x, y: from.position.y + nodeHeight(from) + 60 } : roundPosition({ x: centre.x - 110, y: definition.steps.length ? bottom : centre.y });
    const added = addStep(definition, type, "", at);
    // A step added below the selected one takes its first free outlet.
    const free = from ? outletsOf(from).find((o) => !from.next[o]) : undefined;
    onChange(from && free ? connect(added.definition, from.id, free, added.id) : added.definition);
    onSelect(added.id);
    void flow.setCenter(at.x + 110, at.y + 60, { zoom: flow.getZoom(), duration: 300 });
  };
  const tidy = () => {
    onChange(autoLayout(definition));
    window.setTimeout(() => void flow.fitView({ padding: 0.2 }), 50);
  };

  return (
    <div style={{ position: "relative", flex: 1, minHeight: 0, minWidth: 0 }} role="region" aria-label={t("workflows.canvas.label")}>
      {!readOnly && (
        <Group gap="xs" pos="absolute" top={8} left={8} style={{ zIndex: 5 }}>
          <Menu position="bottom-start" withinPortal>
            <Menu.Target>
              <Button size="xs">{t("workflows.canvas.addStep")}</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <ScrollArea.Autosize mah={360} type="auto">
                {STEP_TYPES.map((type) => (
                  <Menu.Item key={type} onClick={() => add(type)}>
                    {t(`workflows.step.${type}`)}
                  </Menu.Item>
                ))}
              </ScrollArea.Autosize>
            </Menu.Dropdown>
          </Menu>
          <Button size="xs" variant="default" onClick={tidy}>
            {t("workflows.canvas.tidy")}
          </Button>
        </Group>
      )}
      <ReactFlow<FlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onConnect={onConnect}
        onEdgesChange={onEdgesChange}
        onEdgesDelete={readOnly ? undefined : onEdgesDelete}
        onNodesDelete={readOnly ? undefined : onNodesDelete}
        onNodeDragStop={readOnly ? undefined : onNodeDragStop}
        onNodeClick={(_e, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(null)}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
        fitView
        // Fits the whole flow, but never so small a phone cannot read it (then it pans).
        fitViewOptions={{ padding: 0.2, maxZoom: 1, minZoom: 0.45 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={{
          "controls.ariaLabel": t("workflows.canvas.controls"),
          "controls.zoomIn.ariaLabel": t("workflows.canvas.zoomIn"),
          "controls.zoomOut.ariaLabel": t("workflows.canvas.zoomOut"),
          "controls.fitView.ariaLabel": t("workflows.canvas.fitView"),
          "controls.interactive.ariaLabel": t("workflows.canvas.lock"),
        }}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

function roundPosition(p: Position): Position {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}
