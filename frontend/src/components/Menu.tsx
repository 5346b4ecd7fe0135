import { Menu as MantineMenu, type MenuProps } from "@mantine/core";
import { type KeyboardEvent, useState } from "react";

/** Mantine's menu, also closed by an Escape that arrives before the open menu has taken the
 * focus: it moves the focus into itself on a timer, which a slow phone can fall behind, and
 * until then the key reaches its button, where Mantine does not listen for it. */
function MenuRoot({ opened, onChange, ...props }: MenuProps) {
  const [own, setOwn] = useState(false);
  const isOpen = opened ?? own;
  const change = (value: boolean) => {
    setOwn(value);
    onChange?.(value);
  };
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === "Escape" && isOpen) change(false);
  };
  return (
    <span style={{ display: "contents" }} onKeyDown={closeOnEscape}>
      <MantineMenu {...props} opened={isOpen} onChange={change} />
    </span>
  );
}

export const Menu = Object.assign(MenuRoot, {
  Target: MantineMenu.Target,
  Dropdown: MantineMenu.Dropdown,
  Item: MantineMenu.Item,
  Label: MantineMenu.Label,
  Divider: MantineMenu.Divider,
});
