// Broadcasts (owners and managers): the list, the composer, and one broadcast's counts.
import { Route, Routes } from "react-router-dom";
import { BroadcastDetail } from "./BroadcastDetail";
import { BroadcastList } from "./BroadcastList";
import { Composer } from "./Composer";

export function Broadcasts() {
  return (
    <Routes>
      <Route index element={<BroadcastList />} />
      <Route path="new" element={<Composer />} />
      <Route path=":id" element={<BroadcastDetail />} />
    </Routes>
  );
}
