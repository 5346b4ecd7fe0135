// Loaded by <script src="<base>/widget.js" data-channel="<channel id>" async></script>.
import { type VisitorSettings, Widget } from "./widget";

declare global {
  interface Window {
    FrontdeskSettings?: VisitorSettings;
    Frontdesk?: Widget;
  }
}

function boot(): void {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>("script[data-channel][src*='widget.js']");
  const channel = script?.dataset["channel"];
  if (!script || !channel) {
    console.error("Frontdesk: add data-channel=\"<channel id>\" to the widget's script tag");
    return;
  }
  const base = new URL(script.src, location.href).origin;
  const widget = new Widget(base, channel, window.FrontdeskSettings ?? {});
  window.Frontdesk = widget;
  const start = () => void widget.start().catch((err: unknown) => console.error("Frontdesk:", err));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}

boot();
