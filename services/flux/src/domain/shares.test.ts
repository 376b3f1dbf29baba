import { describe, expect, it } from "vitest";
import { fr } from "./shares.js";

describe("fr: a French number with two decimals at most", () => {
  it.each([
    [0, "0"],
    [-0, "0"],
    [36, "36"],
    [1.35, "1,35"],
    [1.5, "1,5"],
    [0.07, "0,07"],
    [-0.5, "-0,5"],
    [-1234.56, "-1234,56"],
    [2.675, "2,68"],
    [0.004, "0"],
    [-0.004, "0"],
  ])("%d → %s", (n, text) => {
    expect(fr(n)).toBe(text);
  });

  it("prints what the decimal text of the rounded number would, for any number", () => {
    for (let i = 0; i < 5_000; i++) {
      const n = (((i * 7919) % 20_011) - 10_000) / 37 + i / 1_000_003;
      expect(fr(n)).toBe(String(Math.round(n * 100) / 100).replace(".", ","));
    }
  });
});
