export { type Lifecycle, type RunOptions, runService } from "./run-service.js";
