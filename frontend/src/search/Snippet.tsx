// A hit's passage: plain text parts, the matched words in <mark>. Never HTML from the message.
import { Text } from "@mantine/core";
import type { Schemas } from "../api/client";

export type SnippetPart = Schemas["SnippetPart"];

export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <Text size="sm" style={{ wordBreak: "break-word" }}>
      {parts.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </Text>
  );
}

/** The passage as one line of text (for the palette's description). */
export function snippetText(parts: SnippetPart[]): string {
  return parts
    .map((p) => p.text)
    .join("")
    .replace(/\s+/g, " ")
    .trim();
}
