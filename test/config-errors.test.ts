import { servicePath } from './support/programs.js';
import { startProcess } from './support/processes.js';

/** A bad configuration value stops a service at start, naming the key, the value and what is allowed. */
describe('service configuration errors', () => {
  it.each([
    ['processor', { SLUICE_METRICS_PORT: 'abc' }, 'metrics.port (env SLUICE_METRICS_PORT) = "abc"; allowed: an integer port 0-65535'],
    ['sink', { KAFKA_BROKERS: 'nohost' }, 'kafka.brokers (env KAFKA_BROKERS) = "nohost"; allowed: a comma-separated list of host:port'],
    ['ingest', { SLUICE_LOG_LEVEL: 'chatty' }, 'log.level (env SLUICE_LOG_LEVEL) = "chatty"; allowed: one of debug, info, warn, error'],
    ['processor', { REDIS_URL: 'redis+cluster://h1:7000,h2:x' }, 'redis.url (env REDIS_URL) = "redis+cluster://h1:7000,h2:x"; allowed: \'h2:x\' is not host:port; a redis:// or rediss:// URL'],
    ['processor', { SLUICE_QUERY_PLAN: '' }, 'query.plan (env SLUICE_QUERY_PLAN) = ""; allowed: the path of a query plan file'],
  ] as const)('%s with %j exits non-zero with a clear message', async (service, env, message) => {
    const proc = startProcess('node', [servicePath(service)], {
      env: { ...process.env, SLUICE_QUERY_PLAN: '/nonexistent/plan.json', ...env },
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    expect(proc.stderr).toContain(`ConfigError: invalid configuration: ${message}`);
    expect(proc.stdout).toBe('');
  });

  it('a missing plan file is a clear PlanError', async () => {
    const proc = startProcess('node', [servicePath('processor')], {
      env: { ...process.env, SLUICE_QUERY_PLAN: '/nonexistent/plan.json' },
    });
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr).toContain('PlanError: cannot read the plan file /nonexistent/plan.json');
  });
});
