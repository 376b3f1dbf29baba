import { Page } from "../components";

/** Placeholder until the flux pages land (issue 14): the menu offers it only when flux answers. */
export function Flux() {
  return (
    <Page title="Gestion en flux">
      <p>
        Les pages de la gestion en flux (logements, conventions, orientations, bilan) arrivent avec le service flux.
      </p>
    </Page>
  );
}
