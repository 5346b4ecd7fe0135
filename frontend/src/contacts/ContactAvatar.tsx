// A contact's picture (fetched from the provider where it gives one), else their initials.
// Decorative: the contact's name is always written beside it.
import { Avatar, type MantineSize } from "@mantine/core";

export function ContactAvatar({ name, url, size = "md" }: { name: string; url: string | null | undefined; size?: MantineSize }) {
  return <Avatar src={url ?? null} name={name} color="initials" size={size} alt="" aria-hidden="true" />;
}
