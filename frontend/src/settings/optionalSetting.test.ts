import { describe, expect, it } from "vitest";
import { fromSwitch, isOn } from "./optionalSetting";

describe("an optional setting's switch", () => {
  it("is on when the setting has a value, and off when the API stores null", () => {
    expect(isOn(15)).toBe(true);
    expect(isOn(null)).toBe(false);
    expect(isOn(undefined)).toBe(false);
  });

  it("turning it on restores the last number, turning it off stores null", () => {
    expect(fromSwitch(true, 30)).toBe(30);
    expect(fromSwitch(false, 30)).toBeNull();
  });
});
