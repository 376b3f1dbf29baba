import { memoryAggregates as sharedMemoryAggregates } from "@logis/outbox";
import type {
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

/** Each memory store with the fields tests read: the store, its documents, its events, its crash switch. */
function memoryAggregates<D extends { _id: string }>() {
  const store = sharedMemoryAggregates<D>();
  return { store, docs: store.docs, published: store.published, control: store.control };
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
    async designationsDue(day, limit, after) {
      return all(vacancies.docs)
        .filter(
          (v) =>
            (after === undefined || v._id > after) &&
            v.designationAvant !== undefined &&
            v.designationAvant < day &&
            v.cible !== undefined &&
            v.cible.conventionId !== null &&
            !v.rendu &&
            !v.attribue &&
            v.designation === undefined &&
            v.designationExpiree !== true,
        )
        .sort((a, b) => (a._id < b._id ? -1 : 1))
        .slice(0, limit);
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
