import { describe, expect, it } from "vitest";
import { formatNumeroUnique, isValidNumeroUnique } from "./numero-unique.js";

describe("numéro unique", () => {
  it("has 18 characters: département, MMYY of deposit, sequence, check key", () => {
    const n = formatNumeroUnique("69", new Date("2026-03-15T10:00:00Z"), 42);
    expect(n).toHaveLength(18);
    expect(n.slice(0, 16)).toBe("0690326000000042");
    expect(isValidNumeroUnique(n)).toBe(true);
    expect(formatNumeroUnique("2A", new Date("2026-11-01T00:00:00Z"), 7).slice(0, 7)).toBe("02A1126");
    expect(formatNumeroUnique("974", new Date("2026-11-01T00:00:00Z"), 7).slice(0, 3)).toBe("974");
  });

  it("catches a mistyped digit or swapped digits through its key", () => {
    const n = formatNumeroUnique("69", new Date("2026-03-15T10:00:00Z"), 123456);
    const typo = `${n.slice(0, 10)}9${n.slice(11)}`;
    const swapped = `${n.slice(0, 12)}${n[13]}${n[12]}${n.slice(14)}`;
    expect(typo).not.toBe(n);
    expect(swapped).not.toBe(n);
    expect(isValidNumeroUnique(typo)).toBe(false);
    expect(isValidNumeroUnique(swapped)).toBe(false);
    expect(isValidNumeroUnique(`${n.slice(0, 3)}1326${n.slice(7)}`)).toBe(false);
  });

  it("takes the month of the deposit in Paris: a deposit at 00:30 on 1 April (Paris) is an April numéro", () => {
    // 22:30 UTC on 31 March 2026 is 00:30 on 1 April in Paris (summer time).
    expect(formatNumeroUnique("69", new Date("2026-03-31T22:30:00Z"), 1).slice(3, 7)).toBe("0426");
    // 23:30 in Paris on 31 December 2026 (22:30 UTC) stays a December 2026 numéro; 00:10 on 1 January is 2027.
    expect(formatNumeroUnique("69", new Date("2026-12-31T22:30:00Z"), 1).slice(3, 7)).toBe("1226");
    expect(formatNumeroUnique("69", new Date("2026-12-31T23:10:00Z"), 1).slice(3, 7)).toBe("0127");
  });

  it("refuses sequences it cannot write", () => {
    expect(() => formatNumeroUnique("69", new Date(), 0)).toThrow(RangeError);
    expect(() => formatNumeroUnique("69", new Date(), 1_000_000_000)).toThrow(RangeError);
  });
});
