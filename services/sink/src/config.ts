import { loadConfig, serviceSchema, type ServiceConfig } from 'sluice';

/** The sink service's configuration schema: the shared service blocks (kafka, redis, metrics, log, query). */
export const schema = { ...serviceSchema };

export type SinkConfig = ServiceConfig;

export function loadSinkConfig(): SinkConfig {
  return loadConfig<SinkConfig>(schema);
}
