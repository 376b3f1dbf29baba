// Decision 0012: what sealing a demand's facts costs per event. Not a test: prints figures and the
// ratio to a baseline measured in the same run, best of five rounds each, alternating, after a warm-up.
//   pnpm --filter @logis/registration exec tsx bench/sealing.ts [events]
// Producer side — baseline: the event in clear built and checked (createEvent) and written as the
// outbox's JSON text; sealed: the same plus AES-256-GCM of the facts. Consumer side — baseline: the
// clear JSON parsed and checked with the v1 stream's schema; sealed: the v2 JSON parsed and checked,
// then opened (decrypted and the facts checked again).
import {
  createEvent,
  type DemandEvent,
  DemandForm,
  DemandRegistered,
  demandStream,
  demandStreamV1,
  newDataKey,
  openDemandEvent,
  sealDemandEvent,
} from "@logis/contracts";
import { demandFormInput } from "@logis/testing";
import { toFacts } from "../src/domain/demand.js";

const count = Number(process.argv[2] ?? 20_000);
const facts = toFacts(DemandForm.parse(demandFormInput()));
const keys = Array.from({ length: count }, () => newDataKey());
const clear = (i: number) =>
  createEvent(DemandRegistered, {
    aggregateId: `dem_bench${i}`,
    aggregateVersion: 1,
    correlationId: "cor_bench",
    occurredAt: new Date("2026-11-30T09:00:00.000Z"),
    payload: {
      numeroUnique: "0690326000000042KX",
      departement: "69",
      dateDepot: "2026-11-30T09:00:00.000Z",
      validUntil: "2027-11-30T09:00:00.000Z",
      guichet: { numGuichet: "069000123", organisationId: "org_demo", nom: "Guichet" },
      demande: facts,
    },
  }) as DemandEvent;

/** Best of five rounds of each, baseline and measured alternating (the machine's load moves). */
const pair = (baseline: () => void, measured: () => void) => {
  const best = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  baseline(); // warm-up
  measured();
  for (let round = 0; round < 5; round++)
    [baseline, measured].forEach((fn, i) => {
      const t0 = performance.now();
      fn();
      best[i] = Math.min(best[i] as number, performance.now() - t0);
    });
  return best.map((ms) => (ms * 1000) / count) as [number, number]; // µs per event
};

let clearTexts: string[] = [];
let sealedTexts: string[] = [];
const [produceClear, produceSealed] = pair(
  () => {
    clearTexts = Array.from({ length: count }, (_, i) => JSON.stringify(clear(i)));
  },
  () => {
    sealedTexts = Array.from({ length: count }, (_, i) => JSON.stringify(sealDemandEvent(clear(i), keys[i] as string)));
  },
);
const keyOf = (kid: string) => keys[Number(kid.slice("dem_bench".length))];
const [consumeClear, consumeSealed] = pair(
  () => {
    for (const text of clearTexts) demandStreamV1.schema.parse(JSON.parse(text));
  },
  () => {
    for (const text of sealedTexts) openDemandEvent(demandStream.schema.parse(JSON.parse(text)), keyOf);
  },
);
const bytes = (texts: string[]) => texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / texts.length;

const fmt = (n: number) => n.toLocaleString("fr-FR", { maximumFractionDigits: 1 });
console.log(`${count.toLocaleString("fr-FR")} DemandRegistered events, best of 5 rounds each`);
console.log(
  `produce  clear ${fmt(produceClear)} µs/event  sealed ${fmt(produceSealed)} µs/event  ratio ×${fmt(produceSealed / produceClear)}  (sealing alone ${fmt(produceSealed - produceClear)} µs)`,
);
console.log(
  `consume  clear ${fmt(consumeClear)} µs/event  sealed+opened ${fmt(consumeSealed)} µs/event  ratio ×${fmt(consumeSealed / consumeClear)}  (opening alone ${fmt(consumeSealed - consumeClear)} µs)`,
);
console.log(
  `size     clear ${fmt(bytes(clearTexts))} bytes  sealed ${fmt(bytes(sealedTexts))} bytes  ratio ×${fmt(bytes(sealedTexts) / bytes(clearTexts))}`,
);
