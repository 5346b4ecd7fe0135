import { describe, expect, it } from "vitest";
import { uploadOutcome } from "./AvatarUpload";

describe("uploadOutcome", () => {
  it("names the uploaded picture by its thumbnail's path", () => {
    expect(uploadOutcome(201, { id: "0b7a" })).toEqual({ path: "/api/v1/attachments/0b7a/thumbnail" });
  });

  it("says how big a picture may be when it is too big", () => {
    const body = { error: { code: "payload_too_large", details: { max_bytes: 10 * 1024 * 1024 } } };
    expect(uploadOutcome(413, body)).toEqual({ key: "tooBig", megabytes: 10 });
  });

  it("says a refused file is not a picture", () => {
    expect(uploadOutcome(422, { error: { code: "invalid", message: "a picture must be a PNG" } })).toEqual({ key: "notImage" });
  });

  it("passes any other failure's reason on", () => {
    expect(uploadOutcome(403, { error: { message: "forbidden" } })).toEqual({ key: "failed", reason: "forbidden" });
  });
});
