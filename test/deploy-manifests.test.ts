import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { parsePlan, serviceSchema } from 'sluice';
import { metricNames } from 'sluice/testing';
import { repoRoot } from './support/programs.js';

type Obj = Record<string, unknown>;
const get = (o: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), o);

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
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as Obj;
const prometheus = parse(readFileSync(join(repoRoot, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as Obj;
const knownEnv = schemaEnvNames(serviceSchema);

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
      else expect(m).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' });
    }
  });

  it('every environment variable the files set is a key of the service configuration schema', () => {
    const configMap = byKind('ConfigMap').find((c) => get(c, 'metadata', 'name') === 'sluice-config');
    const k8sEnv = Object.keys((get(configMap, 'data') ?? {}) as Obj);
    const composeEnv = ['ingest', 'processor', 'sink'].flatMap((s) => Object.keys((get(compose, 'services', s, 'environment') ?? {}) as Obj));
    expect(k8sEnv.length).toBeGreaterThan(0);
    for (const name of [...k8sEnv, ...composeEnv]) expect({ name, known: knownEnv.has(name) }).toEqual({ name, known: true });
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
      const main = (c['command'] as string[])[1] ?? '';
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
    for (const s of ['ingest', 'processor', 'sink']) expect(get(compose, 'services', s, 'command', 1)).toBe(`services/${s}/dist/main.js`);
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
