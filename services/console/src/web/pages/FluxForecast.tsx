import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ErrorAlert, Loading } from "../components";
import { errorData, flux, query } from "../lib/api";
import { frDate, frNumber } from "../lib/format";

type Balance = Awaited<ReturnType<typeof flux.balance.query>>;
const motifs = [
  ["mutation_interne", "Mutations internes"],
  ["renouvellement_urbain", "Relogements (renouvellement urbain)"],
  ["copropriete_degradee", "Relogements (copropriété dégradée)"],
  ["demolition", "Relogements (démolition)"],
] as const;
type Motif = (typeof motifs)[number][0];

/**
 * The basis of a year's flux: the units the landlord forecast to subtract (declared the year before)
 * against those actually subtracted, the forecast for the next year (landlord staff declare it), and
 * the year's close once it is over (the balance is then final and published to the reservers).
 */
export function ForecastAndClose({
  departement,
  annee,
  bailleurId,
  balance,
  mayAct,
  thisYear,
}: {
  departement: string;
  annee: number;
  bailleurId: string;
  balance: Balance;
  mayAct: boolean;
  thisYear: number;
}) {
  const queryClient = useQueryClient();
  // A year's balance carries the forecast declared for that year (`previsionSoustraits`, read from its
  // ledger) and, while the next year's ledger is read with it, the next year's
  // (`previsionAnneeSuivante`); failing the latter (once a year is closed), the next year's own balance says it.
  const following = useQuery({
    queryKey: ["flux-balance", { departement, annee: annee + 1, bailleurId }],
    queryFn: () => query(flux.balance)({ departement, annee: annee + 1, bailleurId }),
    retry: (n, e) => errorData(e).httpStatus !== 404 && n < 2,
    enabled: balance.previsionAnneeSuivante === undefined && annee + 1 <= thisYear,
  });
  const forecast = balance.previsionSoustraits;
  const next = balance.previsionAnneeSuivante ?? following.data?.previsionSoustraits;
  const cell = (p: Partial<Record<Motif, number>> | undefined, m: Motif) => (p ? frNumber(p[m] ?? 0) : "non déclarée");
  const total = (p: Partial<Record<Motif, number>> | undefined) =>
    p ? frNumber(motifs.reduce((a, [m]) => a + (p[m] ?? 0), 0)) : "non déclarée";
  // While next year's forecast is read, its column says so rather than "non déclarée".
  const nextLoading = following.isLoading;
  const nextCell = (text: string) => (nextLoading ? "chargement…" : text);

  const [counts, setCounts] = useState<Record<Motif, string>>(
    () => Object.fromEntries(motifs.map(([m]) => [m, String(next?.[m] ?? 0)])) as Record<Motif, string>,
  );
  const [invalid, setInvalid] = useState<Motif>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["flux-balance"] });
  const declare = useMutation({
    mutationFn: () =>
      flux.declareForecast.mutate({
        departement,
        annee: annee + 1,
        prevision: Object.fromEntries(motifs.map(([m]) => [m, Number(counts[m])])) as Record<Motif, number>,
      }),
    onSuccess: refresh,
  });
  // The balance closed tells the reservers the forecast declared for the next year.
  const close = useMutation({
    mutationFn: () => flux.closeYear.mutate({ departement, annee, ...(next ? { previsionSoustraits: next } : {}) }),
    onSuccess: refresh,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const bad = motifs.find(([m]) => !/^\d{1,5}$/.test(counts[m].trim()))?.[0];
    setInvalid(bad);
    if (!bad) declare.mutate();
  };

  return (
    <section aria-labelledby="assiette" className={fr.cx("fr-mb-6w")}>
      <h2 id="assiette" className={fr.cx("fr-h4")}>
        Assiette du flux {annee} : prévision et réalisé
      </h2>
      <Table
        caption={`Logements soustraits du flux ${annee} : prévision et réalisé`}
        fixed={false}
        headers={["Motif", `Prévision ${annee}`, `Réalisé ${annee}`, `Prévision ${annee + 1}`]}
        data={[
          ...motifs.map(([m, label]) => [
            label,
            cell(forecast, m),
            frNumber(balance.soustraits[m] ?? 0),
            nextCell(cell(next, m)),
          ]),
          ["Total soustrait", total(forecast), total(balance.soustraits), nextCell(total(next))],
          ["Flux brut (logements libérés)", "—", frNumber(balance.fluxBrut), "—"],
          ["Flux net (base des droits des réservataires)", "—", frNumber(balance.fluxNet), "—"],
        ]}
      />
      {nextLoading ? <Loading what={`de la prévision ${annee + 1}`} /> : null}
      {mayAct && !balance.cloture ? (
        <form onSubmit={submit} aria-labelledby="prevision" noValidate className={fr.cx("fr-mt-3w")}>
          <h3 id="prevision" className={fr.cx("fr-h6")}>
            Déclarer la prévision des logements soustraits en {annee + 1}
          </h3>
          <p className={fr.cx("fr-text--sm")}>
            Les réservataires en sont informés avec le bilan ; elle se déclare avant le 28 février.
          </p>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            {motifs.map(([m, label]) => (
              <div key={m} className={fr.cx("fr-col-12", "fr-col-md-3")}>
                <Input
                  label={label}
                  state={invalid === m ? "error" : "default"}
                  stateRelatedMessage={
                    invalid === m ? "Indiquez un nombre entier de logements (0 si aucun)." : undefined
                  }
                  nativeInputProps={{
                    id: `prevision-${m}`,
                    inputMode: "numeric",
                    value: counts[m],
                    onChange: (e) => setCounts({ ...counts, [m]: e.target.value }),
                  }}
                />
              </div>
            ))}
          </div>
          <Button type="submit" priority="secondary" disabled={declare.isPending}>
            Enregistrer la prévision {annee + 1}
          </Button>
          {declare.isSuccess ? (
            <Alert
              severity="success"
              small
              className={fr.cx("fr-mt-2w")}
              description={`Prévision ${annee + 1} enregistrée.`}
            />
          ) : null}
          {declare.error ? <ErrorAlert error={declare.error} title="La prévision n'a pas été enregistrée" /> : null}
        </form>
      ) : null}
      {mayAct && !balance.cloture && annee < thisYear ? (
        <div className={fr.cx("fr-mt-3w")}>
          <h3 className={fr.cx("fr-h6")}>Clôture de l'exercice {annee}</h3>
          <p className={fr.cx("fr-text--sm")}>
            Clôturer arrête le bilan {annee} : les chiffres deviennent définitifs et sont publiés aux réservataires, le
            reste dû est reporté sur {annee + 1}.
          </p>
          <Button onClick={() => close.mutate()} disabled={close.isPending}>
            Clôturer l'exercice {annee}
          </Button>
          {close.error ? <ErrorAlert error={close.error} title="L'exercice n'a pas été clôturé" /> : null}
        </div>
      ) : null}
      {balance.cloture ? (
        <Alert
          severity="info"
          small
          className={fr.cx("fr-mt-2w")}
          description={`Exercice ${annee} clôturé le ${frDate(balance.clotureLe)} : le bilan est définitif.`}
        />
      ) : null}
    </section>
  );
}
