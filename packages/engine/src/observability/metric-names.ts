import { metrics } from './metrics.js';

/** The names of every metric this process exports (for checks of dashboards and alerts). */
export async function metricNames(): Promise<string[]> {
  return (await metrics().registry.getMetricsAsJSON()).map((m) => m.name);
}
