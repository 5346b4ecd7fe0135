// Broadcasts (owners and managers): the list, the composer, a draft's changes, and one
// broadcast's counts.
import { Alert } from "@mantine/core";
import { Navigate, Route, Routes, useParams } from "react-router-dom";
import { errorMessage } from "../api/client";
import { useBroadcast } from "./api";
import { BroadcastDetail } from "./BroadcastDetail";
import { BroadcastList } from "./BroadcastList";
import { Composer } from "./Composer";

/** The composer on a draft; a broadcast past its draft goes back to its page. */
function EditDraft() {
  const { id = "" } = useParams();
  const broadcast = useBroadcast(id);
  const b = broadcast.data;
  if (broadcast.error) return <Alert color="red" m="md">{errorMessage(broadcast.error)}</Alert>;
  if (!b) return null;
  if (b.status !== "draft") return <Navigate to={`/broadcasts/${b.id}`} replace />;
  return <Composer key={b.id} draft={b} />;
}

export function Broadcasts() {
  return (
    <Routes>
      <Route index element={<BroadcastList />} />
      <Route path="new" element={<Composer />} />
      <Route path=":id" element={<BroadcastDetail />} />
      <Route path=":id/edit" element={<EditDraft />} />
    </Routes>
  );
}
