import { publicProcedure, router } from "@logis/http";

/** The tRPC router; the console imports its type only. */
export const appRouter = router({
  whoami: publicProcedure.query(({ ctx }) => ctx.principal ?? null),
});
export type AppRouter = typeof appRouter;
