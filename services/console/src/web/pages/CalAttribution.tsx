import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Empty, ErrorAlert, Facts, Loading, Page } from "../components";
import { can } from "../lib/access";
import { cal, errorData, query } from "../lib/api";
import { type AttributionView, offerLabels, statutAttribution } from "../lib/cal-views";
import { frDate, frNumber } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { Link } from "../lib/router";
import { useSession } from "../lib/session";

const exceptions: Record<string, string> = {
  DALO_DESIGNE: "Ménage DALO désigné par le préfet",
  PLAI_ADAPTE: "Logement PLAI adapté",
  INSUFFISANCE_CANDIDATS: "Insuffisance de candidats",
};

/** `numéros uniques` typed one per line, or separated by commas, semicolons or spaces. */
export const numerosOf = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((n) => n.trim().toUpperCase())
    .filter((n) => n !== "");

/**
 * The attribution of a freed unit: who it is oriented to, the designation deadline, its candidates
 * and offers. The reserver designates its candidates (numéros uniques) until the deadline; landlord
 * staff propose the best-ranked eligible demands of cotation once the unit is theirs to fill.
 */
export function CalAttribution({ id }: { id: string }) {
  const principal = useSession()?.principal;
  const queryClient = useQueryClient();
  const attribution = useQuery({
    queryKey: ["cal-attribution", id],
    queryFn: async () => (await query(cal.getAttribution)({ id })) as unknown as AttributionView,
    staleTime: 0,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["cal-attribution"] });
  const propose = useMutation({ mutationFn: () => cal.proposeCandidates.mutate({ id }), onSuccess: refresh });

  const title = "Attribution d'un logement";
  if (attribution.isPending)
    return (
      <Page title={title}>
        <Loading what="de l'attribution" />
      </Page>
    );
  if (attribution.error)
    return (
      <Page title={title}>
        {errorData(attribution.error).httpStatus === 404 ? (
          <Empty title="Attribution introuvable">
            Aucun logement libéré ne porte cette référence pour votre organisation. Les logements orientés se retrouvent
            depuis la page <Link href="/flux/bilan">Orientations et bilan</Link>.
          </Empty>
        ) : (
          <ErrorAlert
            error={attribution.error}
            retry={() => attribution.refetch()}
            title="L'attribution n'a pas pu être lue"
          />
        )}
      </Page>
    );
  const a = attribution.data;
  const waiting = a.statut === "a_designer" || a.statut === "a_reproposer";
  const isReserver = principal?.organisation.id === a.cible?.reservataireId;
  const isState = principal?.organisation.kind === "state";
  const isLandlordStaff =
    principal !== undefined && can(principal, "cal.manage") && principal.organisation.id === a.logement?.bailleurId;
  const mayDesignate = waiting && (isReserver || isState) && !a.renduLe;
  const candidats = a.candidats ?? [];

  return (
    <Page title={`Attribution du logement ${a.logement?.rplsId ?? ""}`} lead={`Libéré le ${frDate(a.libereLe)}`}>
      <Facts
        items={[
          [
            "Statut",
            <Badge key="s" small noIcon severity={waiting ? "new" : "info"}>
              {statutAttribution[a.statut] ?? a.statut}
            </Badge>,
          ],
          ["Bailleur", a.logement ? organisationName(a.logement.bailleurId) : "—"],
          ["Orienté vers", a.cible ? organisationName(a.cible.reservataireId) : "—"],
          ["Désignation avant le", frDate(a.designationAvant)],
          ...(a.renduLe ? ([["Rendu au bailleur le", frDate(a.renduLe)]] as [string, string][]) : []),
          [
            "Logement",
            a.logement ? `${a.logement.typologie} · ${a.logement.financement} · commune ${a.logement.commune}` : "—",
          ],
        ]}
      />

      <section aria-labelledby="candidats" className={fr.cx("fr-mb-6w")}>
        <h2 id="candidats" className={fr.cx("fr-h4")}>
          Candidats
        </h2>
        {candidats.length === 0 ? (
          <Empty title="Aucun candidat pour ce logement">
            {a.renduLe || a.designationExpiree
              ? "Le logement revient au bailleur : il propose les demandes les mieux classées par la cotation."
              : `Le réservataire désigne ses candidats jusqu'au ${frDate(a.designationAvant)} ; le bailleur propose ensuite.`}
          </Empty>
        ) : (
          <Table
            caption={`Candidats pour le logement ${a.logement?.rplsId ?? ""}`}
            fixed={false}
            headers={["Demande", "Pourquoi présenté", "Rang de cotation"]}
            data={candidats.map((c) => [
              c.numeroUnique,
              c.justification ?? "—",
              c.rangCotation ? `${frNumber(c.rangCotation.rank)} sur ${frNumber(c.rangCotation.of)}` : "—",
            ])}
          />
        )}
        {mayDesignate ? <DesignationForm id={id} onDone={refresh} /> : null}
        {isLandlordStaff && waiting ? (
          <div className={fr.cx("fr-mt-3w")}>
            <p>
              Le bailleur propose les demandes éligibles les mieux classées par la cotation : une fois le logement
              rendu, le délai de désignation passé, ou pour son contingent propre.
            </p>
            <Button onClick={() => propose.mutate()} disabled={propose.isPending}>
              {propose.isPending ? "Proposition en cours…" : "Proposer les candidats classés par la cotation"}
            </Button>
            {propose.error ? <ErrorAlert error={propose.error} title="Les candidats n'ont pas été proposés" /> : null}
          </div>
        ) : null}
      </section>

      {a.offres.length > 0 ? (
        <section aria-labelledby="offres">
          <h2 id="offres" className={fr.cx("fr-h4")}>
            Offres
          </h2>
          <Table
            caption={`Offres pour le logement ${a.logement?.rplsId ?? ""}`}
            fixed={false}
            headers={["Demande", "Rang", "Notifiée le", "Répondre avant", "Statut"]}
            data={a.offres.map((o) => [
              o.numeroUnique,
              frNumber(o.rang),
              frDate(o.notifieeLe),
              frDate(o.repondreAvant),
              offerLabels[o.statut] ?? o.statut,
            ])}
          />
        </section>
      ) : null}
    </Page>
  );
}

/** The reserver's designation: numéros uniques, an optional reason, the legal exception to three candidates. */
function DesignationForm({ id, onDone }: { id: string; onDone: () => Promise<void> }) {
  const [numeros, setNumeros] = useState("");
  const [justification, setJustification] = useState("");
  const [exception, setException] = useState("");
  const [exceptionMotif, setExceptionMotif] = useState("");
  const [missing, setMissing] = useState<string>();
  const save = useMutation({
    mutationFn: () =>
      cal.designate.mutate({
        id,
        numerosUniques: numerosOf(numeros),
        ...(justification.trim() ? { justification: justification.trim() } : {}),
        ...(exception
          ? {
              exception: {
                code: exception as "DALO_DESIGNE" | "PLAI_ADAPTE" | "INSUFFISANCE_CANDIDATS",
                justification: exceptionMotif.trim(),
              },
            }
          : {}),
      }),
    onSuccess: onDone,
  });
  const data = errorData(save.error);
  const field = data.field ?? data.issues?.[0]?.path.join(".");
  const numerosError =
    missing === "numeros"
      ? "Indiquez au moins un numéro unique."
      : field?.startsWith("numerosUniques")
        ? (data.issues?.[0]?.message ?? save.error?.message)
        : undefined;
  const exceptionError =
    missing === "exception"
      ? "Justifiez l'exception à la règle des trois candidats."
      : field?.startsWith("exception")
        ? (data.issues?.[0]?.message ?? save.error?.message)
        : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (numerosOf(numeros).length === 0) return setMissing("numeros");
    if (exception && !exceptionMotif.trim()) return setMissing("exception");
    setMissing(undefined);
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="designation" className={fr.cx("fr-mt-4w")} noValidate>
      <h3 id="designation" className={fr.cx("fr-h5")}>
        Désigner des candidats
      </h3>
      <Input
        label="Numéros uniques des demandes désignées"
        hintText="un par ligne, ou séparés par des virgules ; trois au moins sauf exception légale, dix au plus"
        textArea
        state={numerosError ? "error" : "default"}
        stateRelatedMessage={numerosError}
        nativeTextAreaProps={{ id: "designation-numeros", value: numeros, onChange: (e) => setNumeros(e.target.value) }}
      />
      <Input
        label="Justification (facultative)"
        hintText="elle accompagne chaque candidat devant la commission"
        nativeInputProps={{ value: justification, onChange: (e) => setJustification(e.target.value) }}
      />
      <Select
        label="Exception à la règle des trois candidats (facultative)"
        nativeSelectProps={{ value: exception, onChange: (e) => setException(e.target.value) }}
      >
        <option value="">Aucune : trois candidats au moins</option>
        {Object.entries(exceptions).map(([code, label]) => (
          <option key={code} value={code}>
            {label}
          </option>
        ))}
      </Select>
      {exception ? (
        <Input
          label="Justification de l'exception"
          state={exceptionError ? "error" : "default"}
          stateRelatedMessage={exceptionError}
          nativeInputProps={{ value: exceptionMotif, onChange: (e) => setExceptionMotif(e.target.value) }}
        />
      ) : null}
      {save.error && !numerosError && !exceptionError ? (
        <ErrorAlert error={save.error} title="La désignation n'a pas été enregistrée" />
      ) : null}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? "Enregistrement…" : "Enregistrer la désignation"}
      </Button>
    </form>
  );
}
