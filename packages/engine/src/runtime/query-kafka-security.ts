import { readFile } from 'node:fs/promises';
import { environmentVariable } from '../config/config.js';
import { OptionError } from '../errors/option-error.js';
import { redactOption } from '../internal/secrets.js';
import {
  checkKafkaSecurity, KafkaSecuritySettings, resolveKafkaSecurity, securityOptionsOf, type KafkaSecurity, type SecuritySetting,
} from '../kafka/kafka-security.js';
import { streamingSources } from '../plan/logical-plan.js';
import type { QueryPlan } from '../plan/query-plan.js';

/**
 * The Kafka security of a query: its Kafka sources' and sink's `kafka.*` security options laid
 * over the service configuration's. Sluice reads and writes its one cluster through one client,
 * so the sources and the sink must agree.
 */
export function planKafkaSecurity(plan: QueryPlan): KafkaSecuritySettings {
  const users = [
    ...streamingSources(plan.root).filter((s) => s.format === 'kafka').map((s) => ({ options: s.options, what: 'a Kafka source' })),
    ...(plan.sink.format === 'kafka' ? [{ options: plan.sink.options, what: 'the Kafka sink' }] : []),
  ];
  const entries = new Map<string, SecuritySetting & { readonly what: string }>();
  for (const { options, what } of users) {
    for (const [key, value] of securityOptionsOf(options)) {
      const prior = entries.get(key);
      if (prior !== undefined && prior.value !== value) {
        const shown = (v: string): string => JSON.stringify(redactOption(key, v));
        throw new OptionError(
          `${prior.what} sets kafka.${key} = ${shown(prior.value)} and ${what} ${shown(value)}: Sluice reads and writes its Kafka cluster through one client, so the query's Kafka options must agree`,
        );
      }
      entries.set(key, { key, value, label: `kafka.${key}`, origin: 'option', what });
    }
  }
  return new KafkaSecuritySettings(entries, (key) => ({ key, value: '', label: `kafka.${key}`, origin: 'option' }));
}

/**
 * At `start()` (and `sluice plan`): the query's own Kafka security options are ones Sluice's
 * client can honour; credentials may still come from the service configuration.
 */
export function checkPlanKafkaSecurity(plan: QueryPlan): void {
  checkKafkaSecurity(planKafkaSecurity(plan), false);
}

/** When the query connects: the configured security with the query's on top, resolved. */
export function queryKafkaSecurity(plan: QueryPlan | null, configured: KafkaSecuritySettings): Promise<KafkaSecurity> {
  const settings = plan === null ? configured : configured.overlay(planKafkaSecurity(plan));
  return resolveKafkaSecurity(settings, environmentVariable, (path) => readFile(path, 'utf8'));
}
