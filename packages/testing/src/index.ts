export { apiClient } from "./api-client.js";
export { testEnv } from "./config.js";
export { eventually, headerText, readTopic, testDatabase, testKafka, uniqueName } from "./helpers.js";
