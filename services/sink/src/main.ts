#!/usr/bin/env node
import { ConfigError, createLogger, runRoleService, setLogLevel, StreamError } from 'sluice';
import { loadSinkConfig } from './config.js';

/** The sink service: wiring only. Configuration from config.ts, the work in the engine. */
const log = createLogger({ service: 'sink' });

async function main(): Promise<number> {
  const config = loadSinkConfig();
  setLogLevel(config.log.level);
  if (config.query.plan === '') {
    throw new ConfigError('query.plan (env SLUICE_QUERY_PLAN)', '', 'the path of a query plan file (sluice plan <program> -o <file>)');
  }
  if (config.kafka.brokers === '') {
    throw new ConfigError('kafka.brokers (env KAFKA_BROKERS)', '', 'a comma-separated list of host:port of a running broker');
  }
  return runRoleService({
    role: 'sink',
    planFile: config.query.plan,
    brokers: config.kafka.brokers,
    redisUrl: config.redis.url === '' ? 'redis://127.0.0.1:6379' : config.redis.url,
    clientId: config.kafka.clientId,
    log,
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof StreamError) process.stderr.write(`${err.name}: ${err.message}\n`);
    log.error('sink service failed', { err });
    process.exit(1);
  },
);
