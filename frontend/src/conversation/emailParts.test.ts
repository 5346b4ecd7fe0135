import { describe, expect, it } from "vitest";
import { emailParts, frameDocument } from "./emailParts";

describe("emailParts", () => {
  it("reads the subject, the HTML and the quoted history of an email message", () => {
    const parts = emailParts({
      details: { email: { subject: "Driver job", html: "<p>Hi</p>", quoted_html: "<blockquote>old</blockquote>", quoted_text: "" } },
    });
    expect(parts).toEqual({ subject: "Driver job", html: "<p>Hi</p>", quotedHtml: "<blockquote>old</blockquote>", quotedText: null });
  });

  it("is null for a message of another channel", () => {
    expect(emailParts({ details: { forwarded: true } })).toBeNull();
    expect(emailParts(null)).toBeNull();
  });
});

describe("frameDocument", () => {
  it("opens links outside the app", () => {
    expect(frameDocument("<a href='https://a.b'>x</a>")).toContain('<base target="_blank">');
  });
});
