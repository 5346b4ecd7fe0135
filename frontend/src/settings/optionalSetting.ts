// Settings that can be switched off, which the API stores as null: the switch reads "on" when
// the feature is on, and turning it back on restores the last number used.

/** Whether the switch of an optional setting shows "on". */
export function isOn(value: number | null | undefined): boolean {
  return value !== null && value !== undefined;
}

/** The value to store when the switch is moved: the number when on, null when off. */
export function fromSwitch(on: boolean, last: number): number | null {
  return on ? last : null;
}
