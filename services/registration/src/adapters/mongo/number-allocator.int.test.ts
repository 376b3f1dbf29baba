import { demandFormInput } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegisterInput } from "../../app/register-demand.js";
import { isValidNumeroUnique } from "../../domain/numero-unique.js";
import { type RegistrationHarness, registrationHarness } from "../../testing/harness.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness();
});
afterAll(async () => {
  await h.close();
});

describe("numéro unique allocation under concurrency (real database)", () => {
  it("gives 60 concurrent registrations 60 distinct, gap-free numbers", async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        h.uc.registerDemand(
          h.caller("guichet"),
          RegisterInput.parse({
            demande: (() => {
              const f = demandFormInput({ cotitulaire: undefined });
              // 60 different households: distinct birth dates, so no one is shown as a possible duplicate.
              const nom = `Concurrent${String.fromCharCode(65 + (i % 26))}${i}`;
              const dateNaissance = `19${50 + (i % 40)}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
              return { ...f, demandeur: { ...f.demandeur, nir: undefined, nom, dateNaissance } };
            })(),
          }),
        ),
      ),
    );
    const numeros = results.map((r) => r.demand.numeroUnique);
    expect(new Set(numeros).size).toBe(60);
    expect(numeros.every(isValidNumeroUnique)).toBe(true);
    const sequences = numeros.map((n) => Number(n.slice(7, 16))).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it("keeps one sequence per département, and never reuses a number when Redis loses its counters", async () => {
    const next = () => h.deps.numbers.next("2A");
    const a = await Promise.all([next(), next(), next()]);
    expect(a.sort()).toEqual([1, 2, 3]);
    expect(await h.deps.numbers.next("69")).toBe(61);
    // Redis flushed (or a new Redis): the counter is seeded again from the highest stored sequence.
    const keys = await h.redis.keys(`${h.topicPrefix}registration:numero-seq:*`);
    await h.redis.del(...keys);
    expect(await h.deps.numbers.next("69")).toBe(61); // 61 was allocated but never stored
    const again = await h.uc.registerDemand(
      h.caller("guichet"),
      RegisterInput.parse({ demande: demandFormInput({ cotitulaire: undefined }) }),
    );
    expect(Number(again.demand.numeroUnique.slice(7, 16))).toBe(62);
  });
});
