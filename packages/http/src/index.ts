export { createHttpApp, type HttpAppOptions, type Listening, listen } from "./app.js";
export { type RequestContext, requestContext } from "./context.js";
export { ErrorBody, errorResponse, errorTable, toAppError } from "./errors.js";
export {
  type AnyOperation,
  type Caller,
  callerOf,
  defineOperation,
  type Operation,
  type PublicCaller,
  restRoutesOf,
  trpcRouterOf,
} from "./operation.js";
export { Avancement, avancementOf, frenchDayTime } from "./progress.js";
export { type RateCounter, type RateLimitOptions, rateLimit, routeFamily } from "./rate-limit.js";
export { referencePage } from "./reference.js";
export { type CodeLabels, defineRoute, mountRoutes, openApiDocument, type RestRoute } from "./rest.js";
export { authorizedProcedure, mountTrpc, publicProcedure, router, type TrpcContext } from "./trpc.js";
export { receiveUpload } from "./upload.js";
