import { describe, expect, it } from "vitest";
import { FIELD_KEY, keyFromLabel } from "./fieldKey";

describe("keyFromLabel", () => {
  it("turns a label in any language into a key the server accepts", () => {
    expect(keyFromLabel("Shirt size")).toBe("shirt_size");
    expect(keyFromLabel("Tamanho da camisa (P/M/G)")).toBe("tamanho_da_camisa_p_m_g");
    expect(keyFromLabel("Ngày sinh")).toBe("ngay_sinh");
    expect(keyFromLabel("Đơn hàng #")).toBe("don_hang");
  });

  it("starts with a letter and stays within 64 characters", () => {
    expect(keyFromLabel("2nd phone")).toBe("f_2nd_phone");
    const long = keyFromLabel("word ".repeat(30));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(FIELD_KEY);
  });

  it("gives nothing for a label without letters or digits", () => {
    expect(keyFromLabel("  ?!  ")).toBe("");
  });
});
