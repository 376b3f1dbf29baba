import { Principal } from "@logis/auth";
import { defineOperation } from "@logis/http";
import { z } from "zod";

/** Every operation of the service, once: REST route, tRPC procedure and OpenAPI entry come from here. */
export const operations = () => ({
  whoami: defineOperation({
    name: "whoami",
    summary: "Qui appelle : l'utilisateur, son organisation, ses rôles et territoires",
    permission: "public",
    output: z.object({ principal: Principal.nullable() }),
    rest: { method: "get", path: "/v1/whoami" },
    handler: async (_input, caller) => ({ principal: caller.principal ?? null }),
  }),
});
