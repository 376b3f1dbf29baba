import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { BarChart } from "../BarChart";
import { Empty, ErrorAlert, Facts, Loading, Page } from "../components";
import { can, useConsoleConfig } from "../lib/access";
import { download, errorData, flux, query } from "../lib/api";
import { courseOf, lastMonthOf } from "../lib/flux-course";
import { frDate, frDecimal, frNumber, todayInParis } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { Link, navigate, useLocation } from "../lib/router";
import { useSession } from "../lib/session";
import { ForecastAndClose } from "./FluxForecast";
import { OverrideForm } from "./FluxOverride";

const PAGE_SIZE = 20;
const MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
export const soustractionLabels: Record<string, string> = {
  mutation_interne: "mutation interne",
  renouvellement_urbain: "relogement (renouvellement urbain)",
  copropriete_degradee: "relogement (copropriété dégradée)",
  demolition: "relogement (démolition)",
};

export type Orientation = Awaited<ReturnType<typeof flux.orientations.query>>[number];

/**
 * The flux year of a landlord in a département: its ledger per convention and reserver (the
 * balance to date, CSV), its course month by month, and every freed unit with its orientation and
 * the reason for it; landlord staff override an orientation with a written reason.
 */
export function FluxYear() {
  const principal = useSession()?.principal;
  const { search } = useLocation();
  const today = todayInParis();
  const thisYear = Number(today.slice(0, 4));
  const departements = principal?.territories.departements ?? [];
  const departement = search.get("departement") ?? departements[0] ?? "";
  const annee = Number(search.get("annee")) || thisYear;
  const page = Number(search.get("page") ?? "1") || 1;
  const isLandlord = principal?.organisation.kind === "landlord";

  const conventions = useQuery({
    queryKey: ["flux-conventions", departement],
    queryFn: () => query(flux.conventions)({ departement }),
    enabled: departement !== "",
  });
  const landlords = isLandlord
    ? [principal?.organisation.id ?? ""]
    : [...new Set((conventions.data ?? []).map((c) => c.bailleurId))].sort();
  const bailleurId = search.get("bailleur") ?? landlords[0];
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of conventions.data ?? []) m.set(c.reservataire.id, c.reservataire.nom);
    if (bailleurId)
      m.set(bailleurId, isLandlord ? "Contingent propre du bailleur" : `Bailleur ${organisationName(bailleurId)}`);
    return m;
  }, [conventions.data, bailleurId, isLandlord]);
  const nameOf = useCallback((id: string) => names.get(id) ?? organisationName(id), [names]);

  const input = { departement, annee, ...(bailleurId ? { bailleurId } : {}) };
  const orientations = useQuery({
    queryKey: ["flux-orientations", input],
    queryFn: () => query(flux.orientations)(input),
    enabled: departement !== "",
  });
  const balance = useQuery({
    queryKey: ["flux-balance", input],
    queryFn: () => query(flux.balance)(input),
    enabled: departement !== "" && bailleurId !== undefined,
  });
  const csv = useMutation({
    mutationFn: () =>
      download(
        "flux",
        `/v1/bilans/csv?${new URLSearchParams({ departement, annee: String(annee), ...(bailleurId ? { bailleurId } : {}) })}`,
        `bilan-flux-${departement}-${annee}.csv`,
      ),
  });
  const [overriding, setOverriding] = useState<Orientation>();
  const [overridden, setOverridden] = useState<string>();
  const queryClient = useQueryClient();
  const calUp = useConsoleConfig().data?.services.cal === true;
  const returned = useMutation({
    mutationFn: (v: Orientation) => flux.returnUnit.mutate({ rplsId: v.rplsId, renduLe: today }),
    onSuccess: async (_r, v) => {
      setOverridden(
        `Logement ${v.rplsId} rendu au bailleur le ${frDate(today)} : il propose lui-même les candidats. Le registre en tient compte selon votre convention.`,
      );
      await queryClient.invalidateQueries({ queryKey: ["flux-orientations"] });
      await queryClient.invalidateQueries({ queryKey: ["flux-balance"] });
    },
  });
  const mayReturn = (v: Orientation) =>
    principal !== undefined &&
    principal.organisation.kind !== "landlord" &&
    can(principal, "flux.return") &&
    v.cible?.reservataireId === principal.organisation.id &&
    !v.rendu &&
    !v.attribue;

  const hrefOf = (change: { departement?: string; annee?: number; bailleur?: string; page?: number }) => {
    const q = new URLSearchParams({
      departement: change.departement ?? departement,
      annee: String(change.annee ?? annee),
    });
    const b = "bailleur" in change ? change.bailleur : search.get("bailleur");
    if (b && !isLandlord) q.set("bailleur", b);
    if (change.page && change.page > 1) q.set("page", String(change.page));
    return `/flux/bilan?${q}`;
  };

  const rows = orientations.data ?? [];
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const balanceMissing = errorData(balance.error).httpStatus === 404;
  const mayOverride = principal ? can(principal, "flux.orient") && isLandlord : false;

  return (
    <Page
      title="Orientations et bilan du flux"
      lead="Le registre de l'année par convention, son cours mois par mois, les logements libérés et leur orientation."
    >
      <p>
        <Link href="/flux">Logements et conventions</Link>
      </p>
      <form aria-label="Périmètre du bilan" className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-3w")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
          <Select
            label="Département"
            nativeSelectProps={{
              value: departement,
              onChange: (e) => navigate(hrefOf({ departement: e.target.value, bailleur: "" })),
            }}
          >
            {departements.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
          <Select
            label="Année"
            nativeSelectProps={{
              value: String(annee),
              onChange: (e) => navigate(hrefOf({ annee: Number(e.target.value) })),
            }}
          >
            {[thisYear + 1, thisYear, thisYear - 1, thisYear - 2, thisYear - 3].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </Select>
        </div>
        {isLandlord ? null : (
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <Select
              label="Bailleur"
              hint="les bailleurs avec qui vous avez une convention dans ce département"
              nativeSelectProps={{
                value: bailleurId ?? "",
                onChange: (e) => navigate(hrefOf({ bailleur: e.target.value })),
              }}
            >
              {landlords.length === 0 ? <option value="">Aucun bailleur</option> : null}
              {landlords.map((b) => (
                <option key={b} value={b}>
                  {organisationName(b)}
                </option>
              ))}
            </Select>
          </div>
        )}
      </form>

      <section aria-labelledby="bilan" className={fr.cx("fr-mb-6w")}>
        <h2 id="bilan" className={fr.cx("fr-h4")}>
          Bilan {annee} par convention
        </h2>
        {balance.isLoading || conventions.isPending ? <Loading what="du bilan" /> : null}
        {!bailleurId && conventions.data ? (
          <Empty title="Aucun bailleur à afficher">
            Vous n'avez pas de convention de réservation dans le {departement} : le bilan d'un bailleur s'affiche dès
            qu'une convention vous lie à lui.
          </Empty>
        ) : null}
        {balanceMissing ? (
          <Empty title={`Pas encore de registre pour ${annee}`}>
            Le registre de l'année s'ouvre au premier logement libéré. Déclarez une libération (page Logements, ou l'API
            du bailleur) : son orientation et ce bilan apparaissent ici.
          </Empty>
        ) : null}
        {balance.error && !balanceMissing ? (
          <ErrorAlert error={balance.error} retry={() => balance.refetch()} title="Le bilan n'a pas pu être lu" />
        ) : null}
        {balance.data ? (
          <>
            <Facts
              items={[
                ["Flux brut (logements libérés)", frNumber(balance.data.fluxBrut)],
                ["Soustraits du flux", frNumber(Object.values(balance.data.soustraits).reduce((a, b) => a + b, 0))],
                ["Flux net (à orienter)", frNumber(balance.data.fluxNet)],
                [
                  "État",
                  balance.data.cloture ? (
                    <Badge severity="success" small>
                      clôturé le {frDate(balance.data.clotureLe)}
                    </Badge>
                  ) : (
                    <Badge severity="info" small>
                      en cours au {frDate(today)}
                    </Badge>
                  ),
                ],
              ]}
            />
            {balance.data.lignes.length === 0 ? (
              <Empty title="Aucune ligne de registre dans votre périmètre">
                Les lignes du registre sont celles de vos conventions avec ce bailleur : si une convention manque,
                demandez-la au bailleur ; sinon aucun logement ne vous a encore été orienté cette année.
              </Empty>
            ) : (
              <Table
                caption={`Registre ${annee} par convention et réservataire`}
                fixed={false}
                headers={[
                  "Réservataire",
                  "Convention",
                  "Report de l'année précédente",
                  "Dû",
                  "Orientés",
                  "Rendus",
                  "Attribués",
                  "Reste dû (report)",
                ]}
                data={balance.data.lignes.map((l) => [
                  nameOf(l.reservataireId),
                  l.conventionId ?? "hors convention",
                  frDecimal(l.reportPrecedent),
                  frDecimal(l.du),
                  frNumber(l.orientes),
                  frNumber(l.rendus),
                  frNumber(l.attribues),
                  frDecimal(l.report),
                ])}
              />
            )}
            <Button
              priority="secondary"
              iconId="fr-icon-download-line"
              onClick={() => csv.mutate()}
              disabled={csv.isPending}
            >
              {csv.isPending ? "Téléchargement…" : "Télécharger le bilan (CSV pour tableur)"}
            </Button>
            {csv.data ? (
              <Alert
                severity="success"
                small
                className={fr.cx("fr-mt-2w")}
                description={`Fichier ${csv.data.name} téléchargé (${frNumber(csv.data.size)} octets).`}
              />
            ) : null}
            {csv.error ? <ErrorAlert error={csv.error} title="Le bilan n'a pas pu être téléchargé" /> : null}
          </>
        ) : null}
      </section>

      {balance.data && bailleurId ? (
        <ForecastAndClose
          departement={departement}
          annee={annee}
          bailleurId={bailleurId}
          balance={balance.data}
          mayAct={mayOverride}
          thisYear={thisYear}
        />
      ) : null}

      <section aria-labelledby="cours" className={fr.cx("fr-mb-6w")}>
        <h2 id="cours" className={fr.cx("fr-h4")}>
          Le cours de l'année
        </h2>
        {orientations.data && rows.length > 0 ? (
          <Course rows={rows} annee={annee} lastMonth={lastMonthOf(annee, today)} nameOf={nameOf} />
        ) : orientations.data ? (
          <p>Le graphique apparaît avec le premier logement libéré de l'année.</p>
        ) : null}
      </section>

      <section aria-labelledby="liberes">
        <h2 id="liberes" className={fr.cx("fr-h4")}>
          Logements libérés et leur orientation
        </h2>
        {orientations.isPending && departement ? <Loading what="des orientations" /> : null}
        {orientations.error ? (
          <ErrorAlert
            error={orientations.error}
            retry={() => orientations.refetch()}
            title="Les orientations n'ont pas pu être lues"
          />
        ) : null}
        {overridden ? <Alert severity="success" small description={overridden} className={fr.cx("fr-mb-2w")} /> : null}
        {orientations.data && rows.length === 0 ? (
          <Empty title={`Aucun logement libéré en ${annee}`}>
            Quand un bailleur déclare un logement libéré, il est orienté vers un réservataire en quelques secondes et
            apparaît ici avec le motif du choix.
          </Empty>
        ) : null}
        {shown.length > 0 ? (
          <>
            <p className={fr.cx("fr-text--sm")}>
              {frNumber(rows.length)} logement{rows.length > 1 ? "s" : ""} — page {page} sur {pages}
            </p>
            <Table
              caption={`Logements libérés en ${annee}`}
              noCaption
              fixed={false}
              headers={[
                "Libéré le",
                "Logement",
                "Orienté vers",
                "Motif du choix",
                "Désigner avant",
                "Suite",
                ...(mayOverride || rows.some(mayReturn) ? ["Action"] : []),
              ]}
              data={shown.map((v) => [
                frDate(v.libereLe),
                `${v.rplsId} · ${v.categorie.typologie} · ${v.categorie.commune}${v.categorie.qpv ? " · QPV" : ""}`,
                v.cible ? nameOf(v.cible.reservataireId) : "Soustrait du flux",
                v.cible
                  ? (v.motif ?? "—")
                  : `Soustrait : ${soustractionLabels[v.soustraction ?? ""] ?? v.soustraction ?? "motif non précisé"}`,
                frDate(v.designationAvant),
                <span key="s">
                  <Suite v={v} />
                  {calUp && v.cible ? (
                    <>
                      <br />
                      <Link
                        href={`/cal/attributions/${encodeURIComponent(`att_${v.rplsId}_${v.libereLe}`)}`}
                        title={`Attribution du logement ${v.rplsId}`}
                      >
                        Attribution
                      </Link>
                    </>
                  ) : null}
                </span>,
                ...(mayReturn(v)
                  ? [
                      <Button
                        key="r"
                        size="small"
                        priority="tertiary"
                        onClick={() => returned.mutate(v)}
                        disabled={returned.isPending}
                        title={`Rendre le logement ${v.rplsId} au bailleur`}
                      >
                        Rendre au bailleur
                      </Button>,
                    ]
                  : rows.some(mayReturn)
                    ? ["—"]
                    : []),
                ...(mayOverride
                  ? [
                      v.cible && !v.attribue && !v.rendu ? (
                        <Button
                          key="d"
                          size="small"
                          priority="tertiary"
                          onClick={() => {
                            setOverridden(undefined);
                            setOverriding(v);
                          }}
                          title={`Déroger à l'orientation du logement ${v.rplsId}`}
                        >
                          Déroger
                        </Button>
                      ) : (
                        "—"
                      ),
                    ]
                  : []),
              ])}
            />
            {pages > 1 ? (
              <Pagination count={pages} defaultPage={page} getPageLinkProps={(p) => ({ href: hrefOf({ page: p }) })} />
            ) : null}
          </>
        ) : null}
        {returned.error ? <ErrorAlert error={returned.error} title="Le logement n'a pas été rendu" /> : null}
        {overriding && bailleurId ? (
          <OverrideForm
            key={overriding.id}
            orientation={overriding}
            choices={[...new Set([bailleurId, ...(conventions.data ?? []).map((c) => c.reservataire.id)])].filter(
              (id) => id !== overriding.cible?.reservataireId,
            )}
            nameOf={nameOf}
            onDone={(message) => {
              setOverriding(undefined);
              if (message) setOverridden(message);
            }}
          />
        ) : null}
      </section>
    </Page>
  );
}

function Suite({ v }: { v: Orientation }) {
  if (v.attribue)
    return (
      <Badge severity="success" small>
        attribué
      </Badge>
    );
  if (v.rendu)
    return (
      <Badge severity="warning" small>
        rendu au bailleur
      </Badge>
    );
  if (!v.cible)
    return (
      <Badge small noIcon>
        hors flux
      </Badge>
    );
  return (
    <Badge severity="new" small>
      en désignation
    </Badge>
  );
}

function Course({
  rows,
  annee,
  lastMonth,
  nameOf,
}: {
  rows: Orientation[];
  annee: number;
  lastMonth: number;
  nameOf: (id: string) => string;
}) {
  const course = useMemo(() => courseOf(rows, annee, lastMonth), [rows, annee, lastMonth]);
  const categories = useMemo(() => course.months.map((m) => MONTHS[Number(m) - 1] ?? m), [course]);
  const series = useMemo(
    () => [
      { name: "Logements libérés dans le mois", values: course.freed, color: "#000091" },
      ...course.cumulative.map((c) => ({
        name: `${nameOf(c.reservataireId)} (orientés, cumul)`,
        values: c.values,
        line: true,
      })),
    ],
    [course, nameOf],
  );
  const totals = course.cumulative
    .map((c) => `${nameOf(c.reservataireId)} ${frNumber(c.values.at(-1) ?? 0)}`)
    .join(", ");
  const description = `Cours du flux ${annee} de janvier à ${MONTHS[course.months.length - 1] ?? "décembre"} : ${frNumber(
    course.freed.reduce((a, b) => a + b, 0),
  )} logements libérés ; logements orientés depuis janvier par réservataire : ${totals || "aucun"}.`;
  return (
    <>
      <BarChart
        categories={categories}
        series={series}
        description={description}
        yName="Logements"
        testId="chart-flux-course"
      />
      <p className={fr.cx("fr-text--sm", "fr-mt-1w")}>{description}</p>
    </>
  );
}
