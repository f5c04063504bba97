import { loadConfig, serviceSchema, type ServiceConfig } from 'sluice';

/** The processor service's configuration schema: the shared service blocks (kafka, redis, metrics, log, query). */
export const schema = { ...serviceSchema };

export type ProcessorConfig = ServiceConfig;

export function loadProcessorConfig(): ProcessorConfig {
  return loadConfig<ProcessorConfig>(schema);
}
