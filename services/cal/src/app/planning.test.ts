import { AppError } from "@logis/domain";
import { describe, expect, it } from "vitest";
import { notBeforeOf, retried } from "./planning.js";

describe("the planning's helpers", () => {
  it("a write refused for a retriable reason (a lock held) is run again, three times at most; another error at once", async () => {
    let calls = 0;
    const busy = new AppError("UNAVAILABLE", "Ressource occupée, réessayez", { reason: "LOCK_TIMEOUT" });
    expect(
      await retried(async () => {
        calls += 1;
        if (calls < 3) throw busy;
        return "écrit";
      }),
    ).toBe("écrit");
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      retried(async () => {
        calls += 1;
        throw busy;
      }),
    ).rejects.toBe(busy);
    expect(calls).toBe(3);
    calls = 0;
    const rule = new AppError("RULE_VIOLATION", "La séance est complète", { reason: "SESSION_FULL" });
    await expect(
      retried(async () => {
        calls += 1;
        throw rule;
      }),
    ).rejects.toBe(rule);
    expect(calls).toBe(1);
  });

  it("an item taken off a session is examinable from the day after the last session it left", () => {
    const retrait = (cle: string) => ({
      cle,
      nature: "ATTRIBUTION" as const,
      rplsId: "5700012345",
      motif: "DOSSIER_INCOMPLET",
      le: "t",
    });
    const out = notBeforeOf([
      { date: "2026-11-26", retraits: [retrait("att_1"), retrait("att_2")] },
      { date: "2026-12-10", retraits: [retrait("att_1")] },
      { date: "2026-12-24" },
    ]);
    expect(Object.fromEntries(out)).toEqual({ att_1: "2026-12-11", att_2: "2026-11-27" });
  });
});
