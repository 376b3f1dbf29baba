// Engine benchmark (issue 4). Not a test: prints figures and ratios measured in this one run.
//   pnpm --filter @logis/cotation bench:engine [demands=2760000] [sample=2000] [simulated=800000]
// 1. re-score the whole stock under a 30-criterion grid, with explanations (met-criteria bits), one core;
// 2. the same grid and demands through json-rules-engine on a sample → speed ratio;
// 3. a draft simulated against the published grid over `simulated` demands;
// 4. memory held by the projection per demand.
import type { GridRules } from "@logis/contracts";
import { Engine, type NestedCondition } from "json-rules-engine";
import { evaluate } from "../src/domain/evaluate.js";
import { temporalFacts } from "../src/domain/facts.js";
import { compileGrid, epciLookup, scoreRows } from "../src/engine/compile.js";
import { Projection, territoryIndex } from "../src/engine/projection.js";
import { rankAll } from "../src/engine/rank.js";
import { simulate } from "../src/engine/simulate.js";
import { catalogue, loadReferenceGrid } from "../src/testing/reference-data.js";
import { prng, syntheticFacts } from "../src/testing/synthetic.js";

const [total = 2_760_000, sampleSize = 2_000, simulated = 800_000] = process.argv.slice(2).map(Number);
const asOf = "2026-11-22";
const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");
const gc = (globalThis as { gc?: () => void }).gc;

// A 30-criterion grid: the synthetic reference grid (18 criteria) plus 12 common ones.
const base = loadReferenceGrid("synthetique").rules;
const grid: GridRules = {
  ...base,
  rubriques: [
    ...base.rubriques,
    {
      code: "COMPLEMENTS",
      libelle: "Critères complémentaires",
      mode: "sum",
      plafond: 120,
      criteres: [
        {
          code: "PARENT_ISOLE",
          libelle: "Parent isolé",
          when: [{ fact: "parentIsole", op: "is", value: true }],
          points: { kind: "fixed", points: 20 },
        },
        {
          code: "JEUNE",
          libelle: "Moins de 30 ans",
          when: [{ fact: "ageDemandeur", op: "lt", value: 30 }],
          points: { kind: "fixed", points: 10 },
        },
        {
          code: "SENIOR",
          libelle: "Plus de 65 ans",
          when: [{ fact: "ageDemandeur", op: "gte", value: 65 }],
          points: { kind: "fixed", points: 10 },
        },
        {
          code: "FAMILLE_NOMBREUSE",
          libelle: "Trois enfants ou plus",
          when: [{ fact: "enfantsMineurs", op: "gte", value: 3 }],
          points: { kind: "fixed", points: 15 },
        },
        {
          code: "DEMOLITION",
          libelle: "Démolition",
          when: [{ fact: "motifs", op: "hasAny", values: ["02"] }],
          points: { kind: "fixed", points: 40 },
        },
        {
          code: "REPRISE",
          libelle: "Logement repris",
          when: [{ fact: "motifs", op: "hasAny", values: ["04"] }],
          points: { kind: "fixed", points: 25 },
        },
        {
          code: "SANTE",
          libelle: "Raisons de santé",
          when: [{ fact: "motifs", op: "hasAny", values: ["08"] }],
          points: { kind: "fixed", points: 15 },
        },
        {
          code: "LOYER_TROP_CHER",
          libelle: "Taux d'effort par tranche",
          when: [],
          points: {
            kind: "bands",
            fact: "tauxEffort",
            bands: [
              { from: 0.3, to: 0.5, points: 5 },
              { from: 0.5, points: 12 },
            ],
          },
        },
        {
          code: "SANS_RESSOURCES",
          libelle: "Sans ressources",
          when: [{ fact: "ressourcesMensuelles", op: "lte", value: 0 }],
          points: { kind: "fixed", points: 20 },
        },
        {
          code: "ADAPTE",
          libelle: "Logement adapté demandé",
          when: [
            { fact: "logementAdapteDemande", op: "is", value: true },
            { fact: "handicap", op: "is", value: true },
          ],
          points: { kind: "fixed", points: 20 },
        },
        {
          code: "MUTATION_SUROC",
          libelle: "Locataire HLM sur-occupé",
          when: [
            { fact: "mutation", op: "is", value: true },
            { fact: "occupantsAuDelaDesPieces", op: "gte", value: 2 },
          ],
          points: { kind: "fixed", points: 15 },
        },
        {
          code: "CHOMAGE",
          libelle: "Demandeur au chômage",
          when: [{ fact: "typeContrat", op: "in", values: ["CHO"] }],
          points: { kind: "fixed", points: 5 },
        },
      ],
    },
  ],
};
const criteriaCount = grid.rubriques.reduce((n, r) => n + r.criteres.length, 0);

const communes = Array.from({ length: 300 }, (_, k) => String(69001 + k));
const territory = territoryIndex([{ siren: "200046977", communes }]);
const epciCommunes = new Set(communes);

gc?.();
const before = process.memoryUsage();
const projection = new Projection(catalogue, territory, total);
const r = prng(2026);
let started = performance.now();
for (let k = 0; k < total; k++) {
  const { header, facts } = syntheticFacts(r, communes);
  projection.upsert(`dem_${k.toString(36).padStart(10, "0")}`, `069${String(k).padStart(13, "0")}AA`, header, facts, 1);
}
const loadSeconds = (performance.now() - started) / 1000;
gc?.();
const after = process.memoryUsage();
const bytes = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
console.log(`projection: ${fmt(total)} demandes chargées en ${loadSeconds.toFixed(1)} s`);
console.log(
  `  mémoire : ${fmt(bytes / total)} octets par demande (tas + tableaux typés${gc ? ", après GC" : ", sans --expose-gc : majorant"}) — cible ≤ 600`,
);

// 1. Re-score the whole stock.
const compiled = compileGrid(grid, projection);
const all = new Uint32Array(total);
for (let k = 0; k < total; k++) all[k] = k;
const lut = epciLookup(projection, epciCommunes);
const times: number[] = [];
let run = scoreRows(compiled, projection, all, asOf, lut);
for (let i = 0; i < 5; i++) {
  started = performance.now();
  run = scoreRows(compiled, projection, all, asOf, lut);
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
console.log(
  `re-cotation : ${fmt(total)} demandes × ${criteriaCount} critères, avec explications (bits des critères retenus) : meilleur ${fmt(times[0] ?? 0)} ms, médiane ${fmt(times[2] ?? 0)} ms — cible ≤ 1 000 ms`,
);
started = performance.now();
rankAll(projection, all, run.scores, 42);
console.log(`classement complet (note, date de dépôt, tirage) : ${fmt(performance.now() - started)} ms`);

// Spot check: the compiled scores equal the reference interpreter's on the sample.
const sample = Array.from({ length: sampleSize }, (_, k) => Math.floor((k * total) / sampleSize));
for (const row of sample) {
  const { header, facts } = projection.readRow(row);
  const expected = evaluate(grid, { ...facts, ...temporalFacts(header, asOf) }, { epciCommunes }).score;
  if (expected !== run.scores[row])
    throw new Error(`row ${row}: compiled ${run.scores[row]} ≠ interpreted ${expected}`);
}

// 2. json-rules-engine on the same grid and sample (one rule per criterion; rubric rules applied after).
const toJre = (c: GridRules["rubriques"][number]["criteres"][number]["when"][number]): NestedCondition => {
  const fact = c.fact;
  switch (c.op) {
    case "is":
      return { fact, operator: "equal", value: c.value };
    case "in":
      return { fact, operator: "in", value: c.values };
    case "notIn":
      return { fact, operator: "notIn", value: c.values };
    case "gt":
      return { fact, operator: "greaterThan", value: c.value };
    case "gte":
      return { fact, operator: "greaterThanInclusive", value: c.value };
    case "lt":
      return { fact, operator: "lessThan", value: c.value };
    case "lte":
      return { fact, operator: "lessThanInclusive", value: c.value };
    case "between":
      return {
        all: [
          { fact, operator: "greaterThanInclusive", value: c.min },
          { fact, operator: "lessThan", value: c.max },
        ],
      };
    case "hasAny":
      return { any: c.values.map((v) => ({ fact, operator: "contains", value: v })) };
    case "hasAll":
      return { all: c.values.map((v) => ({ fact, operator: "contains", value: v })) };
    case "hasNone":
      return { all: c.values.map((v) => ({ fact, operator: "doesNotContain", value: v })) };
    case "inEpci":
      return { fact, operator: "in", value: [...epciCommunes] };
  }
};
const engine = new Engine([], { allowUndefinedFacts: true });
for (const rubric of grid.rubriques)
  for (const criterion of rubric.criteres) {
    const conditions = criterion.when.map(toJre);
    if (criterion.preuve?.sansJustificatif === "non_compte")
      conditions.push(
        ...criterion.preuve.justificatifs.map((j) => ({ fact: "justificatifs", operator: "contains", value: j })),
      );
    engine.addRule({
      conditions: { all: conditions.length ? conditions : [{ fact: "always", operator: "equal", value: true }] },
      event: { type: criterion.code, params: { rubrique: rubric.code } },
    });
  }
const jreFacts = sample.map((row) => {
  const { header, facts } = projection.readRow(row);
  return { ...facts, ...temporalFacts(header, asOf), always: true };
});
started = performance.now();
for (const facts of jreFacts) {
  const { events } = await engine.run(facts as Record<string, unknown>);
  // Points and rubrics as the grid says (what a team would write around the engine).
  const fired = new Set(events.map((e) => e.type));
  const met = structuredClone(grid);
  for (const rubric of met.rubriques) rubric.criteres = rubric.criteres.filter((c) => fired.has(c.code));
  met.rubriques = met.rubriques.filter((rb) => rb.criteres.length > 0);
  if (met.rubriques.length > 0) evaluate(met, facts, { epciCommunes });
}
const jrePerDemand = (performance.now() - started) / sampleSize;
const compiledPerDemand = (times[0] ?? 0) / total;
console.log(
  `json-rules-engine : ${(jrePerDemand * 1000).toFixed(1)} µs par demande (échantillon de ${fmt(sampleSize)}) ; moteur compilé : ${(compiledPerDemand * 1e6).toFixed(0)} ns par demande — rapport ×${fmt(jrePerDemand / compiledPerDemand)} (cible ≥ ×1 000)`,
);

// 3. A draft simulated against the published grid over `simulated` demands.
const draftRules = structuredClone(grid);
const first = draftRules.rubriques[1]?.criteres[0];
if (first?.points.kind === "fixed") first.points.points = 200;
const draft = compileGrid(draftRules, projection);
const rows = all.subarray(0, Math.min(simulated, total));
started = performance.now();
const result = simulate({ projection, rows, current: compiled, draft, asOf, epciLut: lut, seed: 42, topN: 100 });
console.log(
  `simulation d'un brouillon : ${fmt(rows.length)} demandes en ${fmt(performance.now() - started)} ms (en mémoire, hors HTTP) — cible ≤ 2 000 ms via l'API ; ${result.movers?.up.length ?? 0} plus fortes hausses, ${result.topN?.byTypology.length ?? 0} typologies`,
);
