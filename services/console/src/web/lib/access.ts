import { can, type Permission, type Principal } from "@logis/auth";
import { useQuery } from "@tanstack/react-query";

export { can, type Permission };

export interface ConsoleConfig {
  services: Record<"registration" | "cotation" | "flux" | "cal" | "reporting", boolean>;
  devSignIn: boolean;
}

/** Which services answer (the pages of a service that has not landed yet are not offered). */
export function useConsoleConfig() {
  return useQuery({
    queryKey: ["console-config"],
    queryFn: async (): Promise<ConsoleConfig> => {
      const res = await fetch("/api/config");
      if (!res.ok) throw new Error("Configuration de la console indisponible : rechargez la page.");
      return res.json();
    },
    staleTime: 60_000,
  });
}

export interface MenuItem {
  text: string;
  href: string;
}

/**
 * The menu of a user: what their roles allow. Registration and cotation pages are always offered (a
 * page says so when its service does not answer); the pages of services still being built only
 * once their service answers.
 */
export function menuOf(principal: Principal, services: ConsoleConfig["services"] | undefined): MenuItem[] {
  const items: MenuItem[] = [{ text: "Accueil", href: "/" }];
  if (can(principal, "demand.read")) items.push({ text: "Demandes", href: "/demandes" });
  if (can(principal, "demand.register")) items.push({ text: "Nouvelle demande", href: "/demandes/nouvelle" });
  if (can(principal, "demand.export")) items.push({ text: "Imports et exports", href: "/echanges" });
  if (can(principal, "grid.read") && principal.territories.epcis.length > 0)
    items.push({ text: "Grilles de cotation", href: "/grilles" });
  if (can(principal, "score.read")) items.push({ text: "Cotation d'une demande", href: "/cotation" });
  if (services?.flux && can(principal, "flux.read")) {
    items.push({ text: "Gestion en flux", href: "/flux" });
    items.push({ text: "Orientations et bilan", href: "/flux/bilan" });
  }
  if (services?.cal && can(principal, "cal.read")) items.push({ text: "Commissions d'attribution", href: "/cal" });
  if (services?.reporting && can(principal, "stats.read")) items.push({ text: "Statistiques", href: "/statistiques" });
  return items;
}
