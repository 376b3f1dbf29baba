import { topics } from "@logis/contracts";

/** The legal quotas' alerts; their events (QuotaOffTrack, QuotaBackOnTrack) are defined in @logis/contracts (`reporting/alerts.ts`, with fixtures). */
export const ALERT_TOPIC = topics.reportingAlert;
