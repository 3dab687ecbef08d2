/**
 * The figures of the run before issue 6 changed the functions (2026-11-25T15:24:11Z, same machine,
 * load average 6.65 on two cores), kept so that every report shows what the changes did. Values
 * are as that run's docs/performance.md reported them.
 */
export const BEFORE_ISSUE_6 = {
  date: '2026-11-25T15:24:11.097Z',
  api: {
    submit: { c1: 3.94, c16: 13.28, callsPerRequest: 11 },
    decide: { c1: 1.7, c16: 4.33, callsPerRequest: 4 },
    read: { c1: 2.05, c16: 2.37, callsPerRequest: 4 },
  },
  bundles: { count: 30, minKb: 634.6, maxKb: 671.4, overSize: 30 },
  initMs: { min: 297.1, max: 482.0, overBudget: 30 },
} as const;
