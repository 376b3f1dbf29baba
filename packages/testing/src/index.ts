export { apiClient } from "./api-client.js";
export { testEnv } from "./config.js";
export { deciderSpec, type Outcome } from "./decider-spec.js";
export { demandForm, demandFormInput } from "./forms.js";
export { eventually, headerText, readTopic, testDatabase, testKafka, uniqueName } from "./helpers.js";
export { type Answer, check, type HostileCase, restCases, send, trpcCases } from "./hostile-requests.js";
export { household } from "./households.js";
export { prng, type Rng } from "./prng.js";
export { testServiceEnv } from "./service-env.js";
