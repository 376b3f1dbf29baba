import type { AnyEnvelope } from "@logis/contracts";
import type {
  Aggregates,
  ConventionDoc,
  ConventionSetDoc,
  ConventionsPort,
  LedgerDoc,
  LedgersPort,
  UnitDoc,
  UnitsPort,
  VacanceDoc,
  VacanciesPort,
} from "../../app/ports.js";

/**
 * An aggregate store in memory for use-case unit tests: one change at a time per aggregate, the
 * state and its events together, the events "published" in order. `crashNextWrite` makes the next
 * write fail after its decision (a process killed between deciding and writing).
 */
export function memoryAggregates<D extends { _id: string }>() {
  const docs = new Map<string, D>();
  const published: AnyEnvelope[] = [];
  const queues = new Map<string, Promise<unknown>>();
  const control = { crashNextWrite: false };
  const copy = <T>(value: T): T => structuredClone(value);
  const serial = <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const run = (queues.get(id) ?? Promise.resolve()).then(fn);
    queues.set(
      id,
      run.catch(() => undefined),
    );
    return run;
  };
  const store: Aggregates<D> = {
    async get(id) {
      const doc = docs.get(id);
      return doc ? copy(doc) : undefined;
    },
    async getMany(ids) {
      return ids.flatMap((id) => (docs.has(id) ? [copy(docs.get(id) as D)] : []));
    },
    async insert(doc, events = []) {
      if (docs.has(doc._id)) return false;
      docs.set(doc._id, copy(doc));
      published.push(...events);
      return true;
    },
    update(id, decide) {
      return serial(id, async () => {
        const current = docs.has(id) ? copy(docs.get(id) as D) : undefined;
        const change = await decide(current);
        if (!change) return { state: current, result: undefined };
        if (control.crashNextWrite) {
          control.crashNextWrite = false;
          throw new Error("crash before the write");
        }
        const next = Object.fromEntries(
          Object.entries({ ...change.state, _id: id }).filter(([, v]) => v !== undefined),
        ) as D;
        docs.set(id, copy(next));
        published.push(...(change.events ?? []));
        return { state: copy(next), result: change.result };
      });
    },
  } as Aggregates<D>;
  return { store, docs, published, control };
}

const all = <D>(docs: Map<string, D>) => [...docs.values()].map((d) => structuredClone(d));
const within = <T>(list: readonly T[] | undefined, value: T) => list === undefined || list.includes(value);

/** The flux ports in memory (same filters as adapters/mongo/stores.ts). */
export function memoryFlux() {
  const units = memoryAggregates<UnitDoc>();
  const conventions = memoryAggregates<ConventionDoc>();
  const ledgers = memoryAggregates<LedgerDoc>();
  const vacancies = memoryAggregates<VacanceDoc>();
  const unitsPort: UnitsPort = {
    store: units.store,
    async list(f) {
      return all(units.docs)
        .filter(
          (u) =>
            within(f.bailleurIds, u.bailleurId) &&
            within(f.departements, u.logement.departement) &&
            within(f.communes, u.logement.commune) &&
            (f.libres === undefined || (u.vacance !== undefined) === f.libres) &&
            (f.after === undefined || u._id > `uni_${f.after.toLowerCase()}`),
        )
        .sort((a, b) => a._id.localeCompare(b._id))
        .slice(0, f.limit);
    },
  };
  const conventionSets = memoryAggregates<ConventionSetDoc>();
  const conventionsPort: ConventionsPort = {
    store: conventions.store,
    sets: conventionSets.store,
    async list(f) {
      return all(conventions.docs).filter(
        (c) =>
          (f.bailleurId === undefined || c.bailleurId === f.bailleurId) &&
          within(f.departements, c.departement) &&
          (f.reservataireId === undefined || c.reservataire.id === f.reservataireId),
      );
    },
  };
  const ledgersPort: LedgersPort = {
    store: ledgers.store,
    async list(f) {
      return all(ledgers.docs).filter(
        (l) =>
          within(f.departements, l.departement) &&
          (f.bailleurId === undefined || l.bailleurId === f.bailleurId) &&
          (f.annee === undefined || l.annee === f.annee),
      );
    },
  };
  const vacanciesPort: VacanciesPort = {
    store: vacancies.store,
    async list(f) {
      return all(vacancies.docs).filter(
        (v) =>
          f.ledgerIds.includes(v.ledgerId) &&
          within(f.rplsIds, v.rplsId) &&
          (f.reservataireId === undefined ||
            v.cible?.reservataireId === f.reservataireId ||
            v.avant?.cible?.reservataireId === f.reservataireId),
      );
    },
  };
  return {
    ports: { units: unitsPort, conventions: conventionsPort, ledgers: ledgersPort, vacancies: vacanciesPort },
    units,
    conventions,
    ledgers,
    vacancies,
  };
}
