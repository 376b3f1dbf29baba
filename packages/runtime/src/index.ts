export { type DemandKeys, startDemandKeys } from "./demand-keys.js";
export { type ScheduledJob, scheduleJob } from "./jobs.js";
export { createLifecycle, type Lifecycle } from "./lifecycle.js";
export { type Platform, type PlatformConfig, type PlatformOptions, startPlatform } from "./platform.js";
export { type RunOptions, runService } from "./run-service.js";
export { type ServeOptions, type ServiceParts, type Serving, serve, type Worker } from "./serve.js";
