import { systemClock } from "@logis/domain";
import { runService, serve, startPlatform } from "@logis/runtime";
import { composeReporting, topicsOf } from "./compose.js";
import { loadConfig, SERVICE } from "./config.js";

await runService(SERVICE, async (lifecycle) => {
  const config = loadConfig();
  const platform = await startPlatform(lifecycle, { service: SERVICE, config, ...topicsOf });
  const { parts } = await composeReporting(platform, {
    clock: systemClock,
    maskThreshold: config.MASK_THRESHOLD,
    quotaCheckEveryMs: config.QUOTA_CHECK_EVERY_MS,
  });
  await serve(platform, parts);
});
