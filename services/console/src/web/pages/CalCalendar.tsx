import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Empty, ErrorAlert, Facts, Loading, Page } from "../components";
import { can } from "../lib/access";
import { cal, errorData, query } from "../lib/api";
import { type CommissionView, type SessionView, sessionIdOf, statutSeance } from "../lib/cal-views";
import { frDate, frNumber, todayInParis } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { Link, navigate, useLocation } from "../lib/router";
import { useSession } from "../lib/session";
import { CommissionList, SessionList } from "./CalLists";

const WEEKS = 13;

function plusDays(day: string, days: number) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The sessions calendar of a commission: its session days over the next three months (its schedule,
 * public holidays moved), each with its session when scheduled; CAL secretaries schedule one.
 */
export function CalCalendar() {
  const principal = useSession()?.principal;
  const { search } = useLocation();
  const commissionId = search.get("commission") ?? "";
  const [draft, setDraft] = useState(commissionId);
  const today = todayInParis();
  const until = plusDays(today, WEEKS * 7);
  const commission = useQuery({
    queryKey: ["cal-commission", commissionId],
    queryFn: async () => (await query(cal.getCommission)({ id: commissionId })) as unknown as CommissionView,
    enabled: commissionId !== "",
  });
  const days = useQuery({
    queryKey: ["cal-days", commissionId, today],
    queryFn: () => query(cal.plannedDays)({ id: commissionId, du: today, au: until }),
    enabled: commission.isSuccess,
  });
  // The CAL has no list of sessions yet: each session day is looked up under the name the console gives it.
  const sessions = useQueries({
    queries: (days.data?.jours ?? []).map((day) => ({
      queryKey: ["cal-day-session", sessionIdOf(commissionId, day)],
      queryFn: async () => {
        try {
          return (await query(cal.getSession)({ id: sessionIdOf(commissionId, day) })) as unknown as SessionView;
        } catch (e) {
          if (errorData(e).httpStatus === 404) return null;
          throw e;
        }
      },
    })),
  });
  const queryClient = useQueryClient();
  const schedule = useMutation({
    mutationFn: (day: string) =>
      cal.scheduleSession.mutate({
        id: sessionIdOf(commissionId, day),
        commissionId,
        date: day,
        mode: (commission.data?.mode ?? "presentiel") as "presentiel",
      }),
    onSuccess: async (_s, day) => {
      await queryClient.invalidateQueries({ queryKey: ["cal-day-session", sessionIdOf(commissionId, day)] });
    },
  });
  const plan = useMutation({
    mutationFn: () => cal.planCommission.mutate({ id: commissionId }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["cal-day-session"] });
    },
  });
  const manage = principal ? can(principal, "cal.manage") : false;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = draft.trim();
    navigate(id ? `/cal?commission=${encodeURIComponent(id)}` : "/cal");
  };

  return (
    <Page title="Calendrier des séances" lead="Les jours de séance d'une commission d'attribution et leurs séances.">
      <form onSubmit={submit} aria-label="Choix de la commission" className={fr.cx("fr-mb-4w")}>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <Input
              label="Identifiant de la commission"
              hintText="com_… : donné à la constitution de la commission"
              nativeInputProps={{ value: draft, onChange: (e) => setDraft(e.target.value), name: "commission" }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <Button type="submit" iconId="fr-icon-calendar-line">
              Afficher le calendrier
            </Button>
          </div>
        </div>
      </form>
      {commissionId === "" ? <CommissionList /> : null}
      {commission.isLoading ? <Loading what="de la commission" /> : null}
      {commission.error ? (
        <ErrorAlert
          error={commission.error}
          title={
            errorData(commission.error).httpStatus === 404
              ? "Commission introuvable : vérifiez son identifiant"
              : "La commission n'a pas pu être lue"
          }
        />
      ) : null}
      {commission.data ? (
        <>
          <Facts
            items={[
              ["Commission", `${commission.data.typeCommission} ${commission.data._id}`],
              ["Bailleur", organisationName(commission.data.bailleurId)],
              ["Département", commission.data.departement],
              ["Membres", frNumber(commission.data.membres.length)],
              ["Capacité par séance", `${frNumber(commission.data.capacite)} logements`],
              ["Règlement intérieur", `version ${commission.data.reglement.version}`],
            ]}
          />
          <h2 className={fr.cx("fr-h4")}>
            Du {frDate(today)} au {frDate(until)}
          </h2>
          {days.isLoading ? <Loading what="des jours de séance" /> : null}
          {days.error ? (
            <ErrorAlert error={days.error} retry={() => days.refetch()} title="Le calendrier n'a pas pu être lu" />
          ) : null}
          {days.data && days.data.jours.length === 0 ? (
            <Empty title="Aucun jour de séance dans les trois mois">
              Le calendrier de la commission ne prévoit pas de séance sur cette période : modifiez sa récurrence.
            </Empty>
          ) : null}
          {manage ? (
            <div className={fr.cx("fr-mb-3w")}>
              <Button priority="secondary" onClick={() => plan.mutate()} disabled={plan.isPending}>
                {plan.isPending ? "Planification…" : "Planifier les prochaines séances et y placer les logements"}
              </Button>
              {plan.data ? (
                <Alert
                  severity="success"
                  small
                  className={fr.cx("fr-mt-2w")}
                  description={`${frNumber(plan.data.seancesProgrammees.length)} séance(s) programmée(s), ${frNumber(plan.data.placements.length)} logement(s) placé(s)${
                    plan.data.nonPlaces.length > 0
                      ? ` ; non placés : ${plan.data.nonPlaces.map((n) => `${n.attributionId} (${n.motif})`).join(", ")}`
                      : ""
                  }.`}
                />
              ) : null}
              {plan.error ? <ErrorAlert error={plan.error} title="La planification n'a pas abouti" /> : null}
            </div>
          ) : null}
          {schedule.error ? <ErrorAlert error={schedule.error} title="La séance n'a pas été programmée" /> : null}
          {days.data && days.data.jours.length > 0 ? (
            <Table
              caption="Jours de séance"
              fixed={false}
              headers={["Jour", "Séance", "Ordre du jour", "Action"]}
              data={days.data.jours.map((day, i) => {
                const s = sessions[i];
                const id = sessionIdOf(commissionId, day);
                return [
                  frDate(day),
                  s?.isPending ? (
                    "…"
                  ) : s?.data ? (
                    <Badge key="b" small severity={s.data.statut === "annulee" ? "warning" : "info"} noIcon>
                      {statutSeance[s.data.statut]}
                    </Badge>
                  ) : (
                    "non programmée"
                  ),
                  s?.data ? `${frNumber(s.data.agenda.length)} point(s)` : "—",
                  s?.data ? (
                    <Link key="l" href={`/cal/seances/${id}`}>
                      Ouvrir la séance du {frDate(day)}
                    </Link>
                  ) : manage && s?.data === null ? (
                    <Button
                      key="p"
                      size="small"
                      priority="secondary"
                      disabled={schedule.isPending}
                      onClick={() => schedule.mutate(day)}
                    >
                      Programmer la séance du {frDate(day)}
                    </Button>
                  ) : (
                    "—"
                  ),
                ];
              })}
            />
          ) : null}
          <SessionList key={commissionId} commissionId={commissionId} />
        </>
      ) : null}
    </Page>
  );
}
