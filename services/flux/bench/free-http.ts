// Freeing units through the API, end to end (issue 11). Not a test: prints figures and ratios
// measured in this one run, on the real engines (bash infra/local/infra.sh up).
//   pnpm --filter @logis/flux bench:free-http [units=400] [concurrency=8]
// 1. baseline: raw inserts of the same unit documents into a scratch collection, `concurrency` at a time;
// 2. the units declared through the API (POST /v1/logements);
// 3. the units freed through the API (POST …/liberation: the unit, its UnitFreed event, the outbox);
// 4. end to end: until every freed unit is oriented (the consumer, the ledger, the vacancy, the outbox);
// 5. until the orientations' events have all left the ledger's outbox (the relay, under the ledger's
//    lock that the orientations keep taking), with the relay's lock timeouts counted.
import { ledgerIdOf } from "../src/domain/ledger.js";
import { fluxHarness } from "../src/testing/harness.js";

const [total = 400, concurrency = 8] = process.argv.slice(2).map(Number);
const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");
const rate = (n: number, ms: number) => `${fmt((n * 1000) / ms)}/s`;

async function pool<T>(items: readonly T[], work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}
const time = async (fn: () => Promise<void>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

// The relay logs a failed iteration (LOCK_TIMEOUT: the ledger's lock not had in 5 s) as an error line.
let lockTimeouts = 0;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  if (String(chunk).includes("LOCK_TIMEOUT")) {
    lockTimeouts++;
    return true;
  }
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

const h = await fluxHarness(new Date().toISOString(), { LOG_LEVEL: "error" });
try {
  const year = new Date().getUTCFullYear();
  const conditions = (pourcentage: number, fondement = "contingent_legal") => ({
    pourcentage,
    fondement,
    ventilation: [],
    delaiDesignationJours: 30,
    logementRendu: "compte",
    validFrom: `${year}-01-01`,
  });
  for (const [reservataire, c] of [
    [{ id: "org_demo_ddets_57", nom: "Préfet (prioritaires)", type: "prefet_prioritaires" }, conditions(25)],
    [
      { id: "org_demo_action_logement", nom: "Action Logement", type: "action_logement" },
      conditions(20, "financement"),
    ],
    [{ id: "org_metz_metropole", nom: "Metz Métropole", type: "epci" }, conditions(10, "garantie_emprunt")],
  ] as const) {
    const res = await h.call("bailleur57", "POST", "/v1/conventions", {
      reservataire,
      departement: "57",
      conditions: c,
      signeLe: `${year - 1}-12-15`,
    });
    if (res.status !== 201) throw new Error(`convention: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const units = Array.from({ length: total }, (_, i) => ({
    rplsId: `57B${String(i).padStart(7, "0")}`,
    idBailleur: `B-${i}`,
    commune: i % 3 === 0 ? "57672" : "57463",
    adresse: `${i} rue du Banc d'essai`,
    codePostal: i % 3 === 0 ? "57100" : "57000",
    qpv: i % 4 === 0,
    nbPieces: 1 + (i % 5),
    surface: 30 + (i % 5) * 15,
    etage: i % 6,
    ascenseur: i % 2 === 0,
    accessibilite: "accessible",
    anneeConstruction: 1950 + (i % 70),
    financement: "PLUS",
    loyer: 300 + (i % 300),
  }));

  // The same documents as the service stores them, inserted raw (no lock, no event, no HTTP).
  const scratch = h.db.collection("bench_raw_units");
  const raw = await time(() =>
    pool(units, async (u) => {
      await scratch.insertOne({
        _id: `uni_${u.rplsId.toLowerCase()}` as never,
        bailleurId: "org_demo_bailleur_57",
        logement: u,
        version: 1,
      });
    }),
  );
  const declared = await time(() =>
    pool(units, async (u) => {
      const res = await h.call("bailleur57", "POST", "/v1/logements", u);
      if (res.status !== 200) throw new Error(`declare: ${res.status} ${JSON.stringify(res.body)}`);
    }),
  );
  const day = new Date().toISOString().slice(0, 10);
  const t0 = performance.now();
  const freed = await time(() =>
    pool(units, async (u) => {
      const res = await h.call("bailleur57", "POST", `/v1/logements/${u.rplsId}/liberation`, {
        libereLe: day,
        motif: "depart",
      });
      if (res.status !== 202) throw new Error(`free: ${res.status} ${JSON.stringify(res.body)}`);
    }),
  );
  const ledgerId = ledgerIdOf("org_demo_bailleur_57", "57", Number(day.slice(0, 4)));
  for (;;) {
    const ledger = await h.ledgers.store.get(ledgerId);
    if ((ledger?.fluxBrut ?? 0) >= total) break;
    if (performance.now() - t0 > 600_000)
      throw new Error(`only ${ledger?.fluxBrut ?? 0} units oriented after 10 minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const endToEnd = performance.now() - t0;
  for (;;) {
    const doc = (await h.ledgers.store.collection.findOne({ _id: ledgerId }, { projection: { outbox: 1 } })) as {
      outbox?: unknown[];
    } | null;
    if ((doc?.outbox ?? []).length === 0) break;
    if (performance.now() - t0 > 600_000) throw new Error("orientation events still in the outbox after 10 minutes");
    await new Promise((r) => setTimeout(r, 50));
  }
  const published = performance.now() - t0;
  const share = (ms: number) => `throughput ${Math.round((raw / ms) * 100)} % of raw inserts`;

  console.log(`${fmt(total)} units, ${concurrency} requests at a time, FerretDB + Redis + Kafka on this machine`);
  console.log(`baseline: raw inserts of the unit documents        ${fmt(raw)} ms   ${rate(total, raw)}`);
  console.log(
    `declared through the API (POST /v1/logements)      ${fmt(declared)} ms   ${rate(total, declared)}   ${share(declared)}`,
  );
  console.log(
    `freed through the API (POST …/liberation)          ${fmt(freed)} ms   ${rate(total, freed)}   ${share(freed)}`,
  );
  console.log(
    `freed and oriented, end to end (consumer, ledger)  ${fmt(endToEnd)} ms   ${rate(total, endToEnd)}   ${share(endToEnd)}`,
  );
  console.log(
    `orientation events all published (relay)           ${fmt(published)} ms   ${rate(total, published)}   relay lock timeouts: ${lockTimeouts}`,
  );
} finally {
  await h.close();
}
