import { systemClock } from "@logis/domain";
import { runService, serve, startPlatform } from "@logis/runtime";
import { cotationRanking } from "./adapters/http/cotation-ranking.js";
import { composeCal, topicsOf } from "./compose.js";
import { loadConfig, SERVICE } from "./config.js";

await runService(SERVICE, async (lifecycle) => {
  const config = loadConfig();
  const platform = await startPlatform(lifecycle, { service: SERVICE, config, ...topicsOf });
  const token = config.COTATION_TOKEN;
  const ranking = token ? cotationRanking({ baseUrl: config.COTATION_URL, token: async () => token }) : undefined;
  const { parts } = await composeCal(platform, { clock: systemClock, ranking });
  await serve(platform, parts);
});
