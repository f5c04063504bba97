import { loadConfig, processorSchema, serviceSchema, type OutageConfig, type ServiceConfig } from 'sluice';

/**
 * The processor service's configuration schema: the shared service blocks (kafka, redis, metrics, log, query)
 * and the outage limits (processor: how long an outage of Kafka or Redis is ridden out, the backoff).
 */
export const schema = { ...serviceSchema, ...processorSchema };

export type ProcessorConfig = ServiceConfig & OutageConfig;

export function loadProcessorConfig(): ProcessorConfig {
  return loadConfig<ProcessorConfig>(schema);
}
