// The app's look, with colours that keep every text readable (WCAG AA: 4.5:1 against its background).
import {
  type CSSVariablesResolver,
  ModalHeader,
  type VariantColorsResolver,
  createTheme,
  darken,
  defaultVariantColorsResolver,
  parseThemeColor,
} from "@mantine/core";

const INKED = new Set(["light", "subtle", "outline", "transparent"]);

/** Tinted and outlined variants write in a darker ink than Mantine's, which is too pale for small text;
 * filled ones darken on hover. */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  const shades = parsed.isThemeColor ? input.theme.colors[parsed.color] : undefined;
  if (!shades) return colors;
  // Filled buttons sit on the darkest shade; hovering goes darker still, never back to a pale teal.
  if (input.variant === "filled") return { ...colors, hover: darken(shades[9], 0.15) };
  if (!INKED.has(input.variant)) return colors;
  return { ...colors, color: darken(shades[9], 0.3) };
};

export const theme = createTheme({
  primaryColor: "teal",
  // Shade 9 is the lightest teal on which white text stays readable (filled buttons, badges).
  primaryShade: { light: 9, dark: 8 },
  defaultRadius: "md",
  variantColorResolver,
  components: {
    // A dialog's header is not a second banner of the page (landmarks must be unique).
    ModalHeader: ModalHeader.extend({ defaultProps: { role: "none" } }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  // Mantine's dimmed grey (gray.6) is 3.3:1 on white; this one is 5.8:1, and 5:1 on the tinted bubbles.
  // Placeholders name several fields (filters, outcome): 2.1:1 becomes 4.9:1.
  light: { "--mantine-color-dimmed": "#5f666d", "--mantine-color-placeholder": "#6a7178" },
  dark: {},
});
