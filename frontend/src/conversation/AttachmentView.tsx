// One file of a message. Messages pushed over the socket carry their files' ids but no links
// (links are signed and expire): a file without one asks the API for fresh links.
import { Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { FileIcon } from "../components/Icons";

export function AttachmentView({ attachment: a }: { attachment: Record<string, unknown> }) {
  const id = String(a["id"] ?? "");
  const given = typeof a["url"] === "string" ? a["url"] : undefined;
  const links = useQuery({
    queryKey: ["attachment", id],
    queryFn: () => unwrap(api.GET("/api/v1/attachments/{attachment_id}", { params: { path: { attachment_id: id } } })),
    enabled: !given && id !== "",
    staleTime: 5 * 60_000,
  });
  const url = given ?? links.data?.url;
  const thumb = given ? (typeof a["thumbnail_url"] === "string" ? a["thumbnail_url"] : undefined) : (links.data?.thumbnail_url ?? undefined);
  const name = String(a["name"] ?? "file");
  if (thumb) {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer">
        <img src={thumb} alt={name} style={{ maxWidth: 220, borderRadius: 8, display: "block", marginTop: 4 }} />
      </a>
    );
  }
  return (
    <Text size="sm" component="a" href={url} target="_blank" rel="noopener noreferrer" td="underline">
      <FileIcon />
      {name}
    </Text>
  );
}
