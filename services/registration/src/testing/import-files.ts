import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DemandForm } from "@logis/contracts";
import { csvHeader, demandToCsv } from "../interchange/csv.js";
import { prng, syntheticDemand } from "../tools/synthetic.js";

/** A CSV stock of `count` synthetic demands of the Rhône (numéros `069MM25<n>ZZ`), written to a temp file. */
export function syntheticCsvFile(count: number, seed = 7, firstNumber = 1): string {
  const r = prng(seed);
  const lines = [csvHeader()];
  for (let i = 0; i < count; i++) {
    const form = DemandForm.parse(syntheticDemand(r));
    const numero = `069${String(1 + (i % 12)).padStart(2, "0")}25${String(firstNumber + i).padStart(9, "0")}ZZ`;
    lines.push(
      demandToCsv({
        id: "",
        numeroUnique: numero,
        departement: "69",
        status: "active",
        version: 1,
        eventSeq: 1,
        dateDepot: "2025-06-01T00:00:00.000Z",
        validUntil: "",
        guichet: { numGuichet: "1", organisationId: "o", nom: "n" },
        form,
        notices: [],
        distinctFrom: [],
        history: [],
      }),
    );
  }
  const file = join(tmpdir(), `logis-import-${Date.now()}-${seed}-${firstNumber}.csv`);
  writeFileSync(file, lines.join(""));
  return file;
}
