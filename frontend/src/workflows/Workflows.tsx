// Workflows (owners and managers edit; viewers read): the list, and one workflow's builder.
import { Route, Routes } from "react-router-dom";
import type { Me } from "../api/client";
import { Builder } from "./Builder";
import { WorkflowList } from "./WorkflowList";

export function Workflows({ me }: { me: Me }) {
  const canEdit = me.workspace?.role === "owner" || me.workspace?.role === "manager";
  return (
    <Routes>
      <Route index element={<WorkflowList canEdit={canEdit} />} />
      <Route path=":id" element={<Builder canEdit={canEdit} />} />
    </Routes>
  );
}
