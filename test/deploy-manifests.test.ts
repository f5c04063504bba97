import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ingestSchema, parsePlan, processorSchema, serviceSchema } from 'sluice';
import { metricNames } from 'sluice/testing';
import { repoRoot } from './support/programs.js';

type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), o);

/** The StreamingSource nodes of a plan document's tree. */
function streamingSourceNodes(node: unknown): Obj[] {
  if (node === null || typeof node !== 'object') return [];
  const own = (node as Obj)['node'] === 'StreamingSource' ? [node as Obj] : [];
  return [...own, ...Object.values(node as Obj).flatMap(streamingSourceNodes)];
}

/** Every env var name the services' convict schema knows. */
function schemaEnvNames(schema: unknown, out = new Set<string>(['SLUICE_CONFIG'])): Set<string> {
  if (schema !== null && typeof schema === 'object') {
    const env = (schema as Obj)['env'];
    if (typeof env === 'string') out.add(env);
    for (const v of Object.values(schema as Obj)) schemaEnvNames(v, out);
  }
  return out;
}

const k8sDir = join(repoRoot, 'k8s');
const manifests: Obj[] = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => parseAllDocuments(readFileSync(join(k8sDir, f), 'utf8')).map((d) => d.toJSON() as Obj));
const byKind = (kind: string): Obj[] => manifests.filter((m) => m['kind'] === kind);
// Compose merges `<<: *anchor` keys; so must the parse.
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as Obj;
const prometheus = parse(readFileSync(join(repoRoot, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as Obj;
const knownEnv = schemaEnvNames(serviceSchema);
/** What each service's own schema adds to the shared one (as services/<name>/src/config.ts). */
const serviceEnv: Record<string, Set<string>> = {
  ingest: schemaEnvNames({ ...serviceSchema, ...ingestSchema }),
  processor: schemaEnvNames({ ...serviceSchema, ...processorSchema }),
  sink: schemaEnvNames({ ...serviceSchema, ...processorSchema }),
};

/** The compose file and the Kubernetes manifests, checked against each other and the config schema. */
describe('deployment files', () => {
  it('every manifest parses and passes the Kubernetes schema of its kind', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(10);
    const models: Record<string, new (o: never) => { validate(): void }> = {
      Namespace, ConfigMap, Service, Deployment, HorizontalPodAutoscaler,
    };
    for (const m of manifests) {
      const Model = models[String(m['kind'])];
      if (Model !== undefined) expect(() => new Model(m as never).validate()).not.toThrow();
      else if (m['kind'] === 'KafkaTopic') expect(m).toMatchObject({ apiVersion: 'kafka.strimzi.io/v1beta2', spec: { partitions: expect.any(Number) } });
      else expect(m).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' });
    }
  });

  it('every environment variable the files set is a key of the service configuration schema', () => {
    const configMap = byKind('ConfigMap').find((c) => get(c, 'metadata', 'name') === 'sluice-config');
    const k8sEnv = Object.keys((get(configMap, 'data') ?? {}) as Obj);
    expect(k8sEnv.length).toBeGreaterThan(0);
    // The shared ConfigMap holds keys every service knows; a service's own keys go to its files.
    for (const name of k8sEnv) expect({ name, known: knownEnv.has(name) }).toEqual({ name, known: true });
    for (const [service, known] of Object.entries(serviceEnv)) {
      const composeEnv = Object.keys((get(compose, 'services', service, 'environment') ?? {}) as Obj);
      const deployment = byKind('Deployment').find((d) => get(d, 'metadata', 'name') === `sluice-${service}`);
      const deploymentEnv = ((get(deployment, 'spec', 'template', 'spec', 'containers', 0, 'env') ?? []) as Obj[]).map((e) => String(e['name']));
      expect(composeEnv.length).toBeGreaterThan(0);
      for (const name of [...composeEnv, ...deploymentEnv]) expect({ service, name, known: known.has(name) }).toEqual({ service, name, known: true });
    }
  });

  it('ports, probes and names agree across the files', () => {
    const metricsPort = Number(get(byKind('ConfigMap')[0], 'data', 'SLUICE_METRICS_PORT'));
    for (const d of byKind('Deployment')) {
      const c = get(d, 'spec', 'template', 'spec', 'containers', 0) as Obj;
      const ports = c['ports'] as Obj[];
      expect(ports).toContainEqual({ name: 'metrics', containerPort: metricsPort });
      for (const port of ports) {
        if (port['name'] === 'metrics') continue;
        // Every other named port is what a Service targets.
        expect(byKind('Service').some((svc) => (get(svc, 'spec', 'ports') as Obj[]).some((sp) => sp['targetPort'] === port['name']))).toBe(true);
      }
      expect(get(c, 'readinessProbe', 'httpGet')).toEqual({ path: '/readyz', port: 'metrics' });
      expect(get(c, 'livenessProbe', 'httpGet')).toEqual({ path: '/healthz', port: 'metrics' });
      expect(get(d, 'spec', 'template', 'metadata', 'annotations', 'prometheus.io/port')).toBe(String(metricsPort));
      const main = (c['command'] as string[]).at(-1) ?? '';
      expect(existsSync(join(repoRoot, main.replace('/dist/', '/src/').replace(/\.js$/, '.ts')))).toBe(true);
      expect(get(d, 'spec', 'selector', 'matchLabels')).toEqual({ 'app.kubernetes.io/name': get(d, 'metadata', 'name') });
    }
    expect(byKind('Service').find((svc) => get(svc, 'metadata', 'name') === 'sluice-metrics')).toMatchObject({ spec: { ports: [{ targetPort: 'metrics' }] } });
    expect(get(byKind('HorizontalPodAutoscaler')[0], 'spec', 'scaleTargetRef', 'name')).toBe('sluice-processor');
    // The plan ConfigMap the Deployments mount holds a plan document the services accept.
    const planMap = byKind('ConfigMap').find((c) => get(c, 'metadata', 'name') === 'sluice-plan');
    expect(() => parsePlan(String(get(planMap, 'data', 'plan.json')))).not.toThrow();
    const planPath = String(get(byKind('ConfigMap')[0], 'data', 'SLUICE_QUERY_PLAN'));
    for (const d of byKind('Deployment')) {
      expect(get(d, 'spec', 'template', 'spec', 'volumes', 0, 'configMap', 'name')).toBe('sluice-plan');
      expect(planPath.startsWith(String(get(d, 'spec', 'template', 'spec', 'containers', 0, 'volumeMounts', 0, 'mountPath')))).toBe(true);
    }
    const composePort = Number(get(compose, 'services', 'processor', 'environment', 'SLUICE_METRICS_PORT'));
    const targets = get(prometheus, 'scrape_configs', 0, 'static_configs', 0, 'targets') as string[];
    expect(targets.sort()).toEqual(['ingest', 'processor', 'sink'].map((s) => `${s}:${composePort}`));
    for (const s of ['ingest', 'processor', 'sink']) expect((get(compose, 'services', s, 'command') as string[]).at(-1)).toBe(`services/${s}/dist/main.js`);
    // The processor's deployments give node the options its command's launcher gives it.
    const launcherOptions = readFileSync(join(repoRoot, 'services/processor/bin/sluice-processor.js'), 'utf8').split('\n')[0]?.replace('#!/usr/bin/env -S node', '').trim().split(/\s+/) ?? [];
    expect(launcherOptions).toEqual(['--max-semi-space-size=16']);
    const k8sProcessor = byKind('Deployment').find((d) => get(d, 'metadata', 'name') === 'sluice-processor');
    expect(get(k8sProcessor, 'spec', 'template', 'spec', 'containers', 0, 'command')).toEqual(['node', ...launcherOptions, 'services/processor/dist/main.js']);
    expect(get(compose, 'services', 'processor', 'command')).toEqual(['node', ...launcherOptions, 'services/processor/dist/main.js']);
    expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toContain(`CMD ${JSON.stringify(['node', ...launcherOptions, 'services/processor/dist/main.js']).replaceAll(',', ', ')}`);
  });

  it('the processor runs scaled out, its autoscalers within the source topic\'s partitions', () => {
    const processor = byKind('Deployment').find((d) => get(d, 'metadata', 'name') === 'sluice-processor');
    const env = (get(processor, 'spec', 'template', 'spec', 'containers', 0, 'env') ?? []) as Obj[];
    expect(env.find((e) => e['name'] === 'SLUICE_PROCESSOR_SCALE_OUT')).toEqual({ name: 'SLUICE_PROCESSOR_SCALE_OUT', value: 'true' });
    // A scaled-out processor refuses every source but Kafka: the mounted plan reads Kafka topics only.
    const planMap = byKind('ConfigMap').find((c) => get(c, 'metadata', 'name') === 'sluice-plan');
    const sources = streamingSourceNodes(JSON.parse(String(get(planMap, 'data', 'plan.json'))));
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(s['format']).toBe('kafka');
    // Each partition is a task: a replica past the partition count would own none.
    const subscribed = sources.flatMap((s) => String(get(s, 'options', 'subscribe') ?? '').split(',').filter((t) => t !== ''));
    const partitions = subscribed.map((topic) => get(byKind('KafkaTopic').find((t) => get(t, 'metadata', 'name') === topic), 'spec', 'partitions'));
    expect(partitions.every((p) => typeof p === 'number')).toBe(true);
    const widest = Math.max(...(partitions as number[]));
    const lagVariant = parseAllDocuments(readFileSync(join(k8sDir, 'lag-autoscaling', 'hpa.yaml'), 'utf8')).map((d) => d.toJSON() as Obj);
    const autoscalers = [...byKind('HorizontalPodAutoscaler'), ...lagVariant];
    expect(autoscalers).toHaveLength(2);
    for (const hpa of autoscalers) {
      expect(() => new HorizontalPodAutoscaler(hpa as never).validate()).not.toThrow();
      expect(get(hpa, 'spec', 'scaleTargetRef')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'sluice-processor' });
      const min = Number(get(hpa, 'spec', 'minReplicas'));
      const max = Number(get(hpa, 'spec', 'maxReplicas'));
      expect(min).toBeGreaterThanOrEqual(2);
      expect(max).toBeLessThanOrEqual(widest);
      expect(Number(get(processor, 'spec', 'replicas'))).toBeGreaterThanOrEqual(min);
      expect(get(hpa, 'spec', 'metrics', 0)).toMatchObject({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } });
    }
    // The lag variant scales on the external metric the adapter rule serves, summed over the
    // source-task groups of scaled-out queries and no other group.
    const adapter = parse(readFileSync(join(k8sDir, 'lag-autoscaling', 'prometheus-adapter.yaml'), 'utf8')) as Obj;
    const rule = get(adapter, 'rules', 'external', 0) as Obj;
    const external = (get(lagVariant[0], 'spec', 'metrics') as Obj[]).find((m) => m['type'] === 'External');
    expect(get(external, 'external', 'metric', 'name')).toBe(get(rule, 'name', 'as'));
    expect(get(external, 'external', 'target', 'type')).toBe('AverageValue');
    for (const query of [String(rule['seriesQuery']), String(rule['metricsQuery'])]) {
      const groups = new RegExp(`^${/consumergroup=~"([^"]+)"/.exec(query)?.[1]?.replace(/\\\\/g, '\\') ?? '(?!)'}$`);
      expect(groups.test(`sluice.${randomUUID()}.tasks.source`)).toBe(true);
      for (const other of [`sluice.${randomUUID()}.tasks.shuffle`, `sluice.${randomUUID()}.sink.run`, 'orders-consumer']) expect(groups.test(other)).toBe(false);
    }
    // Compose: the replicas count and the switch, off by default (its sample plan reads a socket).
    expect(get(compose, 'services', 'processor', 'deploy', 'replicas')).toBe('${SLUICE_PROCESSORS:-1}');
    expect(get(compose, 'services', 'processor', 'environment', 'SLUICE_PROCESSOR_SCALE_OUT')).toBe('${SLUICE_PROCESSOR_SCALE_OUT:-false}');
  });

  it('the Grafana dashboard plots metrics the services export', async () => {
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'deploy', 'grafana', 'provisioning', 'dashboards', 'sluice.json'), 'utf8')) as Obj;
    const exported = new Set(await metricNames());
    const used = (get(dashboard, 'panels') as Obj[]).flatMap((p) => (p['targets'] as Obj[]).map((t) => String(t['expr'])))
      .flatMap((e) => e.match(/sluice_[a-z_]+/g) ?? []);
    expect(used.length).toBeGreaterThanOrEqual(9);
    for (const name of used) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      expect({ name, exported: exported.has(base) }).toEqual({ name, exported: true });
    }
  });
});
