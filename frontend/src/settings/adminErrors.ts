// What to tell an administrator when a change is refused, in their language.
import type { TFunction } from "i18next";
import { ApiError, errorMessage } from "../api/client";

export type Subject = "team" | "tag" | "canned" | "channel" | "field";

/** A duplicate name (409 on `name`) or a refusal by role (403) in words; else the server's. */
export function adminProblem(t: TFunction, error: unknown, subject: Subject): string {
  if (error instanceof ApiError && error.status === 409 && (error.field === "name" || error.field === "shortcut")) {
    return t(`admin.errors.taken.${subject}`);
  }
  if (error instanceof ApiError && error.status === 403) return t("admin.errors.forbidden");
  return errorMessage(error);
}

/** A refused change to a member (the last owner, disabling oneself) in words; else the server's. */
export function memberProblem(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && error.status === 409) return t("admin.members.lastOwner");
  if (error instanceof ApiError && error.status === 422 && error.field === "user_id") return t("admin.members.notYourself");
  return errorMessage(error);
}
