import { systemClock } from "@logis/domain";
import { runService, serve, startPlatform } from "@logis/runtime";
import { composeFlux, topicsOf } from "./compose.js";
import { loadConfig, SERVICE } from "./config.js";

await runService(SERVICE, async (lifecycle) => {
  const config = loadConfig();
  const platform = await startPlatform(lifecycle, { service: SERVICE, config, ...topicsOf });
  const { parts } = await composeFlux(platform, config, { clock: systemClock });
  await serve(platform, parts);
});
