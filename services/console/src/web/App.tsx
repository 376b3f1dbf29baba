import { fr } from "@codegouvfr/react-dsfr";
import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { Header } from "@codegouvfr/react-dsfr/Header";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense } from "react";
import { Loading, Page } from "./components";
import { menuOf, useConsoleConfig } from "./lib/access";
import { useLocation } from "./lib/router";
import { setSession, useSession } from "./lib/session";
import { Attestation } from "./pages/Attestation";
import { DemandView } from "./pages/DemandView";
import { EditDemand } from "./pages/EditDemand";
import { Exchanges } from "./pages/Exchanges";
import { Grids } from "./pages/Grids";
import { Home } from "./pages/Home";
import { NewDemand } from "./pages/NewDemand";
import { Search } from "./pages/Search";
import { SignIn } from "./pages/SignIn";
import { Transparency } from "./pages/Transparency";

// Pages with charts load ECharts on demand.
const GridDetail = lazy(() => import("./pages/GridDetail").then((m) => ({ default: m.GridDetail })));
const Flux = lazy(() => import("./pages/Flux").then((m) => ({ default: m.Flux })));
const CalCalendar = lazy(() => import("./pages/CalCalendar").then((m) => ({ default: m.CalCalendar })));
const CalSession = lazy(() => import("./pages/CalSession").then((m) => ({ default: m.CalSession })));
const CalMinutes = lazy(() => import("./pages/CalMinutes").then((m) => ({ default: m.CalMinutes })));
const Reports = lazy(() => import("./pages/Reports").then((m) => ({ default: m.Reports })));
const CalAttribution = lazy(() => import("./pages/CalAttribution").then((m) => ({ default: m.CalAttribution })));
const FluxYear = lazy(() => import("./pages/FluxYear").then((m) => ({ default: m.FluxYear })));

const routes: [RegExp, (m: RegExpMatchArray) => ReactNode][] = [
  [/^\/$/, () => <Home />],
  [/^\/demandes$/, () => <Search />],
  [/^\/demandes\/nouvelle$/, () => <NewDemand />],
  [/^\/demandes\/([0-9A-Z]{18})\/attestation$/, (m) => <Attestation numero={m[1] ?? ""} />],
  [/^\/demandes\/([0-9A-Z]{18})\/modifier$/, (m) => <EditDemand numero={m[1] ?? ""} />],
  [/^\/demandes\/([0-9A-Z]{18})$/, (m) => <DemandView numero={m[1] ?? ""} />],
  [/^\/echanges$/, () => <Exchanges />],
  [/^\/grilles$/, () => <Grids />],
  [/^\/grilles\/([^/]+)$/, (m) => <GridDetail id={decodeURIComponent(m[1] ?? "")} />],
  [/^\/cotation$/, () => <Transparency />],
  [/^\/cotation\/([0-9A-Z]{18})$/, (m) => <Transparency numero={m[1]} />],
  [/^\/flux$/, () => <Flux />],
  [/^\/flux\/bilan$/, () => <FluxYear />],
  [/^\/cal$/, () => <CalCalendar />],
  [/^\/statistiques$/, () => <Reports />],
  [/^\/cal\/seances\/([^/]+)\/proces-verbal$/, (m) => <CalMinutes id={decodeURIComponent(m[1] ?? "")} />],
  [/^\/cal\/attributions\/([^/]+)$/, (m) => <CalAttribution id={decodeURIComponent(m[1] ?? "")} />],
  [/^\/cal\/seances\/([^/]+)$/, (m) => <CalSession key={m[1]} id={decodeURIComponent(m[1] ?? "")} />],
];

function route(pathname: string): ReactNode {
  for (const [pattern, render] of routes) {
    const m = pathname.match(pattern);
    if (m) return render(m);
  }
  return (
    <Page title="Page introuvable">
      <p>Cette adresse ne correspond à aucune page. Revenez à l'accueil par le menu.</p>
    </Page>
  );
}

export function App() {
  const session = useSession();
  const { pathname } = useLocation();
  const config = useConsoleConfig();
  const queryClient = useQueryClient();
  const menu = session ? menuOf(session.principal, config.data?.services) : [];
  const active = menu.filter((i) => i.href === pathname || (i.href !== "/" && pathname.startsWith(`${i.href}/`)));
  const activeHref = active.sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <>
      <SkipLinks links={[{ label: "Contenu", anchor: "#contenu" }]} />
      <Header
        brandTop={
          <>
            République
            <br />
            Française
          </>
        }
        homeLinkProps={{ href: "/", title: "Accueil — Logis, console de la demande de logement social" }}
        serviceTitle="Logis"
        serviceTagline="La demande de logement social et son attribution"
        quickAccessItems={
          session
            ? [
                {
                  iconId: "fr-icon-account-circle-line",
                  text: `${session.principal.name} · ${session.principal.organisation.name}`,
                  linkProps: { href: "/" },
                },
                {
                  iconId: "fr-icon-logout-box-r-line",
                  text: "Se déconnecter",
                  buttonProps: {
                    onClick: () => {
                      setSession(undefined);
                      queryClient.clear();
                    },
                  },
                },
              ]
            : []
        }
        navigation={menu.map((i) => ({ text: i.text, linkProps: { href: i.href }, isActive: i.href === activeHref }))}
      />
      <main id="contenu" tabIndex={-1} className="logis-main">
        {session ? (
          <Suspense
            fallback={
              <div className={fr.cx("fr-container", "fr-py-4w")}>
                <Loading what="de la page" />
              </div>
            }
          >
            {route(pathname)}
          </Suspense>
        ) : (
          <SignIn />
        )}
      </main>
      <Footer
        accessibility="partially compliant"
        contentDescription="Logis : plateforme ouverte de la chaîne de la demande et des attributions de logement social. Environnement de démonstration."
        bottomItems={[]}
      />
    </>
  );
}
