// Quality reviews: the review queue (owners and managers), one review, and "My reviews".
import { Box } from "@mantine/core";
import { Navigate, Route, Routes } from "react-router-dom";
import type { Me } from "../api/client";
import { MyReviews } from "./MyReviews";
import { ReviewQueue } from "./ReviewQueue";
import { ReviewScreen } from "./ReviewScreen";

export function Quality({ me }: { me: Me }) {
  const admin = me.workspace?.role === "owner" || me.workspace?.role === "manager";
  return (
    <Box p="md" style={{ flex: 1, overflow: "auto", minWidth: 0 }}>
      <Routes>
        <Route index element={admin ? <ReviewQueue /> : <Navigate to="mine" replace />} />
        <Route path="mine" element={<MyReviews me={me} />} />
        <Route path="reviews/:id" element={<ReviewScreen me={me} />} />
      </Routes>
    </Box>
  );
}
