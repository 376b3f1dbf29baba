import { demoUsers } from "@logis/auth";

// Organisations by name. The platform has no directory of organisations yet: the names known are
// those of the demo territory's organisations, and any other id is shown as it is.

const names = new Map<string, string>(
  Object.values(demoUsers).map((u) => [u.organisation.id, u.organisation.name.replace(/ \(démo\)$/, "")]),
);
names.set("org_demo_ddets_57", "DDETS de la Moselle");

/** The organisation's name, or its id when the console does not know it. */
export const organisationName = (id: string): string => names.get(id) ?? id;
