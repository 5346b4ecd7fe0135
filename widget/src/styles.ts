// Styles live inside the widget's shadow root: the page cannot break them, nor they the page.
export function styles(color: string, position: "right" | "left"): string {
  const side = position === "left" ? "left" : "right";
  return `
:host { all: initial; }
[hidden] { display: none !important; }
* { box-sizing: border-box; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.launcher { position: fixed; bottom: 20px; ${side}: 20px; width: 60px; height: 60px; border-radius: 50%;
  border: none; background: ${color}; color: #fff; cursor: pointer; box-shadow: 0 6px 20px rgba(0,0,0,.25);
  display: flex; align-items: center; justify-content: center; z-index: 2147483000; }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible, input:focus-visible {
  outline: 3px solid #111827; outline-offset: 2px; }
.launcher svg { width: 28px; height: 28px; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #dc2626; color: #fff; font-size: 12px; font-weight: 700;
  display: flex; align-items: center; justify-content: center; }
.panel { position: fixed; bottom: 92px; ${side}: 20px; width: 370px; height: min(600px, calc(100vh - 112px));
  background: #fff; color: #111827; border-radius: 14px; box-shadow: 0 12px 40px rgba(0,0,0,.25);
  display: flex; flex-direction: column; overflow: hidden; z-index: 2147483001; font-size: 14px; }
header { background: ${color}; color: #fff; padding: 14px 16px; display: flex; gap: 10px; align-items: center; }
header .who { flex: 1; min-width: 0; }
header h2 { margin: 0; font-size: 16px; font-weight: 700; }
header p { margin: 2px 0 0; font-size: 12px; opacity: .9; }
.avatar { width: 36px; height: 36px; border-radius: 50%; background: rgba(255,255,255,.25); display: flex;
  align-items: center; justify-content: center; font-weight: 700; flex: none; overflow: hidden; }
.avatar img { width: 100%; height: 100%; object-fit: cover; }
.icon { background: transparent; border: none; color: inherit; cursor: pointer; padding: 6px; border-radius: 6px;
  font-size: 20px; line-height: 1; }
.status { background: #fef3c7; color: #92400e; font-size: 12px; padding: 4px 12px; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 6px; background: #f9fafb; }
.greeting, .day { align-self: center; color: #6b7280; font-size: 12px; margin: 6px 0; text-align: center; }
.greeting { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 8px 12px; color: #374151; font-size: 13px; }
.msg { max-width: 80%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; word-wrap: break-word; }
.msg.theirs { align-self: flex-start; background: #fff; border: 1px solid #e5e7eb; border-bottom-left-radius: 4px; }
.msg.mine { align-self: flex-end; background: ${color}; color: #fff; border-bottom-right-radius: 4px; }
.msg .by { display: block; font-size: 11px; font-weight: 600; color: #4b5563; margin-bottom: 2px; }
.msg .meta { display: block; font-size: 11px; opacity: .8; text-align: right; margin-top: 2px; }
.msg.failed { background: #fee2e2; color: #991b1b; }
.msg .tick { display: inline-flex; vertical-align: middle; letter-spacing: -3px; }
.retry { display: block; margin-top: 4px; background: none; border: none; padding: 0; color: #b91c1c;
  font-size: 12px; font-weight: 600; cursor: pointer; text-decoration: underline; }
.earlier { align-self: center; background: #fff; border: 1px solid #d1d5db; border-radius: 12px;
  padding: 4px 10px; font-size: 12px; cursor: pointer; color: #374151; }
.chip progress { width: 60px; height: 6px; margin-left: 6px; vertical-align: middle; }
.chip .icon { font-size: 14px; padding: 0 0 0 6px; }
.attach { color: #4b5563; }
.msg img { max-width: 100%; border-radius: 8px; display: block; margin-top: 4px; }
.msg a { color: inherit; }
.typing { font-size: 12px; color: #6b7280; padding: 0 14px 6px; background: #f9fafb; }
.error { background: #fee2e2; color: #991b1b; font-size: 12px; padding: 6px 12px; }
.composer { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #e5e7eb; align-items: flex-end; }
.composer textarea { flex: 1; resize: none; border: 1px solid #d1d5db; border-radius: 10px; padding: 8px 10px;
  font-size: 14px; max-height: 120px; min-height: 38px; }
.composer textarea:focus-visible { outline: 2px solid ${color}; outline-offset: 0; border-color: transparent; }
.send { background: ${color}; color: #fff; border: none; border-radius: 10px; padding: 9px 14px; cursor: pointer; font-weight: 600; }
.chips { display: flex; gap: 6px; flex-wrap: wrap; padding: 6px 10px 0; }
.chip { background: #e5e7eb; border-radius: 10px; padding: 2px 8px; font-size: 12px; }
.prechat { padding: 16px; display: flex; flex-direction: column; gap: 10px; border-top: 1px solid #e5e7eb; }
.prechat label { font-size: 13px; display: flex; flex-direction: column; gap: 4px; }
.prechat input { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 10px; font-size: 14px; }
.footer { text-align: center; font-size: 11px; color: #9ca3af; padding: 4px 0 8px; }
@media (max-width: 480px) {
  .panel { inset: 0; width: 100vw; height: 100vh; height: 100dvh; border-radius: 0; bottom: 0; ${side}: 0; }
}
`;
}
