import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, ErrorAlert, Loading } from "../components";
import { cal, query } from "../lib/api";
import { statutSeance } from "../lib/cal-views";
import { frDate, frNumber } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { Link } from "../lib/router";

const PAGE_SIZE = 20;
const frequences: Record<string, string> = {
  hebdomadaire: "chaque semaine",
  bimensuelle: "toutes les deux semaines",
  mensuelle: "chaque mois",
};
const jours = ["", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/** Pages read with the CAL's cursor (`suivant`): the cursors of the pages seen, to go back. */
function useCursor() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const current = cursors.at(-1);
  return {
    current,
    page: cursors.length,
    next: (suivant: string) => setCursors([...cursors, suivant]),
    previous: () => setCursors(cursors.slice(0, -1)),
  };
}

function Pager({
  cursor,
  suivant,
  what,
}: {
  cursor: ReturnType<typeof useCursor>;
  suivant: string | null | undefined;
  what: string;
}) {
  if (cursor.page === 1 && !suivant) return null;
  return (
    <div className={fr.cx("fr-btns-group", "fr-btns-group--inline", "fr-btns-group--sm")}>
      <Button size="small" priority="secondary" disabled={cursor.page === 1} onClick={cursor.previous}>
        {what} précédentes
      </Button>
      <Button size="small" priority="secondary" disabled={!suivant} onClick={() => suivant && cursor.next(suivant)}>
        {what} suivantes
      </Button>
      <span className={fr.cx("fr-text--sm")}>page {cursor.page}</span>
    </div>
  );
}

/** The commissions the user sees (its landlord's, or those of its départements), a page at a time. */
export function CommissionList() {
  const cursor = useCursor();
  const list = useQuery({
    queryKey: ["cal-commissions", cursor.current],
    queryFn: () =>
      query(cal.listCommissions)({ limite: PAGE_SIZE, ...(cursor.current ? { apres: cursor.current } : {}) }),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="commissions" className={fr.cx("fr-mb-6w")}>
      <h2 id="commissions" className={fr.cx("fr-h4")}>
        Vos commissions
      </h2>
      {list.isPending ? <Loading what="des commissions" /> : null}
      {list.error ? (
        <ErrorAlert error={list.error} retry={() => list.refetch()} title="Les commissions n'ont pas pu être lues" />
      ) : null}
      {list.data && list.data.commissions.length === 0 ? (
        <Empty title="Aucune commission dans votre périmètre">
          Une commission d'attribution apparaît ici dès que le bailleur l'a constituée.
        </Empty>
      ) : null}
      {list.data && list.data.commissions.length > 0 ? (
        <>
          <Table
            caption="Commissions d'attribution"
            fixed={false}
            headers={["Commission", "Type", "Bailleur", "Département", "Séances", "Membres"]}
            data={list.data.commissions.map((c) => [
              <Link
                key="l"
                href={`/cal?commission=${encodeURIComponent(c.id)}`}
                title={`Calendrier de la commission ${c.id}`}
              >
                {c.id}
              </Link>,
              c.typeCommission,
              organisationName(c.bailleurId),
              c.departement,
              `${frequences[c.recurrence.frequence] ?? c.recurrence.frequence}, le ${jours[c.recurrence.jour] ?? c.recurrence.jour}`,
              frNumber(c.membres),
            ])}
          />
          <Pager cursor={cursor} suivant={list.data.suivant} what="Commissions" />
        </>
      ) : null}
    </section>
  );
}

/** A commission's sessions, past and to come, a page at a time by date. */
export function SessionList({ commissionId }: { commissionId: string }) {
  const cursor = useCursor();
  const list = useQuery({
    queryKey: ["cal-sessions", commissionId, cursor.current],
    queryFn: () =>
      query(cal.listSessions)({
        commissionId,
        limite: PAGE_SIZE,
        ...(cursor.current ? { apres: cursor.current } : {}),
      }),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="seances" className={fr.cx("fr-mt-6w")}>
      <h2 id="seances" className={fr.cx("fr-h4")}>
        Séances de la commission
      </h2>
      {list.isPending ? <Loading what="des séances" /> : null}
      {list.error ? (
        <ErrorAlert error={list.error} retry={() => list.refetch()} title="Les séances n'ont pas pu être lues" />
      ) : null}
      {list.data && list.data.seances.length === 0 ? (
        <Empty title="Aucune séance programmée">Programmez une séance sur l'un des jours de séance ci-dessus.</Empty>
      ) : null}
      {list.data && list.data.seances.length > 0 ? (
        <>
          <Table
            caption="Séances de la commission"
            fixed={false}
            headers={["Date", "Statut", "Ordre du jour", "Décisions", "Séance"]}
            data={list.data.seances.map((s) => [
              frDate(s.date),
              <Badge
                key="b"
                small
                noIcon
                severity={s.statut === "close" ? "success" : s.statut === "annulee" ? "warning" : "info"}
              >
                {statutSeance[s.statut]}
              </Badge>,
              `${frNumber(s.ordreDuJour.length)} point(s) sur ${frNumber(s.capacite)}`,
              frNumber(s.decisions),
              <Link key="o" href={`/cal/seances/${encodeURIComponent(s.id)}`} title={`Séance du ${frDate(s.date)}`}>
                Ouvrir
              </Link>,
            ])}
          />
          <Pager cursor={cursor} suivant={list.data.suivant} what="Séances" />
        </>
      ) : null}
    </section>
  );
}
