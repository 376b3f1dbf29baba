import { demoUsers } from "@logis/auth";
import { topics } from "@logis/contracts";
import { eventually, readTopic, testKafka } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";

// Proposals in a batch on the real engines (decision 0033): the new attributions in one insert with
// their events, an existing one (opened by flux's orientation) through its lock, a refused one
// reported while the others are kept; then one query finds what waits for several commissions.

let h: Awaited<ReturnType<typeof calHarness>>;
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
});
afterAll(async () => {
  await h?.close();
});

const caller = { principal: demoUsers.bailleur57, correlationId: "cor_many", requestId: "req_many" };
const proposal = (rplsId: string, candidates = 3) => ({
  type: "ProposeCandidates" as const,
  id: `att_${rplsId}_2026-11-02`,
  bailleurId: "org_demo_bailleur_57",
  unit: metzT3({ rplsId }),
  libereLe: "2026-11-02",
  cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_al", codeSne: "COLACT" as const },
  source: "reservataire" as const,
  candidats: Array.from({ length: candidates }, (_, n) => ({
    demandId: `dem_${rplsId}_${n}`,
    numeroUnique: `0571126${rplsId.slice(-5)}${n}000AA`,
    facts: family(),
    justification: `Désigné ${n + 1}`,
  })),
});

describe("proposals in a batch", () => {
  it("inserts the new ones at once, updates an existing one, reports a refused one; events leave for each", async () => {
    await h.uc.attributions.handle(caller, "att_5700080002_2026-11-02", {
      type: "OpenVacancy",
      id: "att_5700080002_2026-11-02",
      bailleurId: "org_demo_bailleur_57",
      unit: metzT3({ rplsId: "5700080002" }),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_al", codeSne: "COLACT" },
      designationAvant: "2026-12-09",
      fluxVersion: 1,
    });
    const out = await h.uc.attributions.proposeMany(caller, [
      proposal("5700080001"),
      proposal("5700080002"),
      proposal("5700080003", 1),
    ]);
    expect(out).toMatchObject({
      inserted: 1,
      existing: 1,
      refused: [{ id: "att_5700080003_2026-11-02", reason: "THREE_CANDIDATES_RULE" }],
    });
    for (const rplsId of ["5700080001", "5700080002"])
      expect(await h.uc.attributions.get(`att_${rplsId}_2026-11-02`)).toMatchObject({ statut: "proposee", publies: 1 });
    expect(await h.uc.attributions.get("att_5700080003_2026-11-02")).toBeUndefined();
    // Again: nothing inserted; the existing attribution takes the proposal under its lock (a new
    // designation replaces the candidates while no commission has examined them).
    const again = await h.uc.attributions.proposeMany(caller, [proposal("5700080001")]);
    expect(again).toMatchObject({ inserted: 0, existing: 1, refused: [] });

    await eventually(async () => {
      const sent = (await readTopic(testKafka(), h.platform.topic(topics.calAttribution))).map((m) =>
        JSON.parse(String(m.value)),
      );
      expect(
        sent
          .filter((e) => e.type === "CandidatesProposed")
          .map((e) => e.aggregateId)
          .sort(),
      ).toEqual(["att_5700080001_2026-11-02", "att_5700080001_2026-11-02", "att_5700080002_2026-11-02"]);
    }, 30_000);
  });
});
