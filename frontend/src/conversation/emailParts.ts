// Reading an email message's parts from its payload (`payload.details.email`, kept by the
// server): the subject, the sanitised HTML and the quoted history folded away.
export type EmailParts = {
  subject: string;
  html: string | null;
  quotedHtml: string | null;
  quotedText: string | null;
};

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

export function emailParts(payload: Record<string, unknown> | null | undefined): EmailParts | null {
  const details = payload?.["details"];
  if (!details || typeof details !== "object") return null;
  const email = (details as Record<string, unknown>)["email"];
  if (!email || typeof email !== "object") return null;
  const e = email as Record<string, unknown>;
  return {
    subject: text(e["subject"]) ?? "",
    html: text(e["html"]),
    quotedHtml: text(e["quoted_html"]),
    quotedText: text(e["quoted_text"]),
  };
}

/** A document for a sandboxed frame: the app's font, links opening outside the app. */
export function frameDocument(html: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><base target="_blank">' +
    "<style>body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#212529;overflow-wrap:anywhere}" +
    "img{max-width:100%}table{max-width:100%}blockquote{margin:0 0 0 8px;padding-left:8px;border-left:2px solid #ced4da;color:#495057}</style>" +
    `</head><body>${html}</body></html>`
  );
}
