/**
 * The consumer group of the scores read model (`score_rows`: each demand's last cotation per EPCI),
 * fed from cotation's score topic a batch at a time by `compose.ts`; a rebuild replays the topic
 * under another group into another collection.
 */
export const SCORE_ROWS_GROUP = "reporting.score-rows";
