import { loadConfig, processorSchema, serviceSchema, type OutageConfig, type ServiceConfig } from 'sluice';

/**
 * The sink service's configuration schema: the shared service blocks (kafka, redis, metrics, log, query)
 * and the outage limits (processor: how long an outage of Kafka or Redis is ridden out, the backoff).
 */
export const schema = { ...serviceSchema, ...processorSchema };

export type SinkConfig = ServiceConfig & OutageConfig;

export function loadSinkConfig(): SinkConfig {
  return loadConfig<SinkConfig>(schema);
}
