import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from 'sluice';
import {
  checkpointKeys, connectRedis, deleteKeys, KafkajsPort, readRange, scanKeys, systemClock, type KafkaSecurity, type RedisClient,
} from 'sluice/testing';
import { cliPath, repoRoot, servicePath } from './support/programs.js';
import { freePort, startProcess, stopProcess, type Proc } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const run = promisify(execFile);

/**
 * Kafka over SASL_SSL and Redis over TLS with an ACL user, end to end, on a second local broker
 * (scripts/local/kafka.sh --sasl-ssl: SCRAM users made when its storage is formatted, a
 * certificate from a local CA) and a TLS-only Redis (scripts/local/redis.sh --tls), both started
 * once for this file in a state dir of its own, on ports of their own: the shared PLAINTEXT
 * broker and Redis of the other tests are not touched. No secret is printed anywhere: every
 * log, error, status output, plan and live page these tests capture is searched for each one.
 */

/** Kafka options of the program: the password is a reference, resolved when the query connects. */
const SECURE_OPTIONS = `
const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="sluice" password="\${env:KAFKA_PW}";';
const secure = (o) => {
  o.option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "")
    .option("kafka.security.protocol", "SASL_SSL")
    .option("kafka.sasl.mechanism", process.env.MECHANISM ?? "SCRAM-SHA-512")
    .option("kafka.sasl.jaas.config", jaas);
  return process.env.CA ? o.option("kafka.ssl.truststore.type", "PEM").option("kafka.ssl.truststore.location", process.env.CA) : o;
};
`;

/** Counts words: Kafka (SASL_SSL) in, state and checkpoint in Redis (TLS, ACL user), Kafka out. */
const counting = (secure: boolean, trigger: string): string => `
import { SparkSession } from "sluice";
${secure ? SECURE_OPTIONS : 'const secure = (o) => o.option("kafka.bootstrap.servers", process.env.KAFKA_BROKERS ?? "");'}
const spark = SparkSession.builder.appName("SecureCounts").getOrCreate();
const words = secure(spark.readStream.format("kafka"))
  .option("subscribe", process.env.TOPIC_IN ?? "")
  .option("startingOffsets", "earliest")
  .load()
  .selectExpr("CAST(value AS STRING) AS word");
const counts = words.groupBy("word").count().selectExpr("word AS key", "CAST(count AS STRING) AS value");
const query = secure(counts.writeStream.format("kafka").outputMode("update"))
  .option("topic", process.env.TOPIC_OUT ?? "")
  .option("checkpointLocation", process.env.CHECKPOINT ?? "")
  ${trigger}
  .start();
await query.awaitTermination();
`;

/** stderr without the JSON log lines: what a person reads. */
const plainLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('{'));

const envLines = (stdout: string): Record<string, string> =>
  Object.fromEntries(stdout.trim().split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

describe('Kafka SASL_SSL and Redis TLS/ACL, and no secret printed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-security-'));
  const sharedLib = join(repoRoot, '.local', `kafka-${process.env['KAFKA_VERSION'] ?? '3.9.1'}`, 'lib');
  const scriptEnv: NodeJS.ProcessEnv = {
    ...process.env,
    SLUICE_LOCAL_DIR: join(dir, 'local'),
    // The jars `scripts/setup.sh` fetched for the shared broker; no class-data archive to write at each stop.
    ...(existsSync(join(sharedLib, '.complete')) ? { KAFKA_LIB_DIR: sharedLib } : {}),
    KAFKA_CDS: '0',
  };
  delete scriptEnv['REDIS_URL'];
  const script = async (name: string, args: readonly string[]): Promise<Record<string, string>> =>
    envLines((await run('bash', [join(repoRoot, 'scripts', 'local', name), ...args], { env: scriptEnv, timeout: 170_000 })).stdout);

  let kafkaEnv: Record<string, string> = {};
  let redisEnv: Record<string, string> = {};
  let kafkaPassword = '';
  let redisPassword = '';
  let redisDefaultPassword = '';
  const metricsToken = randomBytes(18).toString('base64url');
  let kafka: KafkajsPort | null = null;
  let redis: RedisClient | null = null;
  /** Everything Sluice printed or served in these tests, searched for secrets at the end. */
  const captured: Array<{ what: string; text: string }> = [];
  const checkpoints: string[] = [];
  const topics: string[] = [];

  beforeAll(async () => {
    [kafkaEnv, redisEnv] = await Promise.all([script('kafka.sh', ['--sasl-ssl', 'up']), script('redis.sh', ['--tls', 'up'])]);
    const secrets = (file: string | undefined): Record<string, string> => envLines(readFileSync(file ?? '', 'utf8'));
    kafkaPassword = secrets(kafkaEnv['KAFKA_SASL_SECRETS'])['SLUICE_KAFKA_SASL_PASSWORD'] ?? '';
    const redisSecrets = secrets(redisEnv['REDIS_SECRETS']);
    redisPassword = redisSecrets['SLUICE_REDIS_PASSWORD'] ?? '';
    redisDefaultPassword = redisSecrets['REDIS_DEFAULT_PASSWORD'] ?? '';
    expect(kafkaEnv).toMatchObject({ SLUICE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', SLUICE_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', SLUICE_KAFKA_SASL_USERNAME: 'sluice' });
    expect(kafkaEnv['KAFKA_BROKERS']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(kafkaEnv['KAFKA_BROKERS']).not.toBe('127.0.0.1:9092');
    expect(redisEnv['REDIS_URL']).toMatch(/^rediss:\/\/sluice@127\.0\.0\.1:\d+$/);
    expect(kafkaPassword.length).toBeGreaterThan(16);
    expect(redisPassword.length).toBeGreaterThan(16);
    kafka = new KafkajsPort({ brokers: [kafkaEnv['KAFKA_BROKERS'] ?? ''], clientId: `test-${randomUUID()}`, security: scram('SCRAM-SHA-512', kafkaPassword) });
    redis = await connectRedis(redisEnv['REDIS_URL'] ?? '', createLogger(), {
      username: '', password: redisPassword, tlsCa: { path: redisEnv['SLUICE_REDIS_TLS_CA_FILE'] ?? '', label: 'ca' }, tlsCert: null, tlsKey: null,
    });
  }, 180_000);

  afterAll(async () => {
    if (redis !== null) {
      for (const location of checkpoints) await deleteKeys(redis, await scanKeys(redis, checkpointKeys(location).all));
      redis.disconnect();
    }
    if (kafka !== null && topics.length > 0) {
      const admin = await kafka.admin();
      await admin.deleteTopics(topics).catch(() => undefined);
      await admin.close();
    }
    await Promise.all([script('kafka.sh', ['--sasl-ssl', 'down']), script('redis.sh', ['--tls', 'down'])]);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  function scram(mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', password: string): KafkaSecurity {
    const ca = readFileSync(kafkaEnv['SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION'] ?? '', 'utf8');
    return { protocol: 'SASL_SSL', sasl: { mechanism, username: 'sluice', password }, tls: { ca: [ca], cert: null, key: null, passphrase: null, checkHostname: true } };
  }

  /** A wrong password is a secret too (it is often the right one, mistyped). */
  const secretsOf = (): string[] => [kafkaPassword, redisPassword, redisDefaultPassword, metricsToken, 'wrong-kafka-password', 'wrong-redis-password'];

  const newTopic = async (records: readonly string[]): Promise<string> => {
    const topic = `test-${randomUUID()}`;
    topics.push(topic);
    const admin = await (kafka as KafkajsPort).admin();
    await admin.ensureTopic(topic, 1);
    await admin.close();
    if (records.length > 0) {
      const producer = await (kafka as KafkajsPort).producer();
      await producer.send(topic, records.map((value) => ({ value })));
      await producer.close();
    }
    return topic;
  };

  /** The latest count of each word in the output topic (update mode: the last record wins). */
  const countsIn = async (topic: string): Promise<Record<string, string>> => {
    const records = await readRange(kafka as KafkajsPort, topic, 0, 0, `test-${randomUUID()}`, systemClock);
    return Object.fromEntries(records.map((r) => [r.key?.toString() ?? '', r.value?.toString() ?? '']));
  };

  const program = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  /** The environment a user sets: the SASL_SSL broker, the TLS Redis with its ACL user. */
  const userEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    ...process.env,
    TZ: 'UTC',
    KAFKA_BROKERS: kafkaEnv['KAFKA_BROKERS'],
    CA: kafkaEnv['SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION'],
    KAFKA_PW: kafkaPassword,
    REDIS_URL: redisEnv['REDIS_URL'],
    SLUICE_REDIS_PASSWORD: redisPassword,
    SLUICE_REDIS_TLS_CA_FILE: redisEnv['SLUICE_REDIS_TLS_CA_FILE'],
    SLUICE_LOG_LEVEL: 'info',
    ...extra,
  });

  const sluice = (args: readonly string[], env: NodeJS.ProcessEnv): Proc => startProcess('node', [cliPath, ...args], { cwd: dir, env });

  const finished = async (proc: Proc, what: string): Promise<number | null> => {
    const exit = await proc.exited;
    captured.push({ what: `${what} stdout`, text: proc.stdout }, { what: `${what} stderr`, text: proc.stderr });
    return exit.code;
  };

  it('a counting query reads and writes Kafka over SASL_SSL (SCRAM-SHA-512, options with a ${env:…} password) and keeps its state in Redis over TLS as an ACL user, across a restart', async () => {
    const file = program('options.ts', counting(true, '.trigger({ availableNow: true })'));
    const input = await newTopic(['a', 'b', 'a', 'c', 'a']);
    const output = await newTopic([]);
    const checkpoint = `test-${randomUUID()}`;
    checkpoints.push(checkpoint);
    const env = userEnv({ TOPIC_IN: input, TOPIC_OUT: output, CHECKPOINT: checkpoint });

    const first = sluice(['run', file], env);
    expect(await finished(first, 'first run')).toBe(0);
    expect(await countsIn(output)).toEqual({ a: '3', b: '1', c: '1' });
    // The state and the checkpoint are in the TLS Redis.
    expect((await scanKeys(redis as RedisClient, checkpointKeys(checkpoint).all)).length).toBeGreaterThan(3);

    const producer = await (kafka as KafkajsPort).producer();
    await producer.send(input, [{ value: 'b' }, { value: 'd' }]);
    await producer.close();
    const second = sluice(['run', file], env);
    expect(await finished(second, 'second run')).toBe(0);
    // b goes on from the state the first run left; a and c were not updated.
    expect(await countsIn(output)).toEqual({ a: '3', b: '2', c: '1', d: '1' });

    // The plan a service would run holds the reference, not the password.
    const plan = sluice(['plan', file], env);
    expect(await finished(plan, 'plan')).toBe(0);
    expect(plan.stdout).toContain('password=\\"${env:KAFKA_PW}\\"');
  });

  it('from the service configuration alone (SLUICE_KAFKA_*, a password in REDIS_URL): the live page and /metrics ask for the token, /readyz is ready, sluice status lists the query, and none shows a secret', async () => {
    const file = program('configured.ts', counting(false, ''));
    const input = await newTopic(['x', 'y', 'x']);
    const output = await newTopic([]);
    const checkpoint = `test-${randomUUID()}`;
    checkpoints.push(checkpoint);
    const port = await freePort();
    const redisUrl = (redisEnv['REDIS_URL'] ?? '').replace('sluice@', `sluice:${encodeURIComponent(redisPassword)}@`);
    const env = userEnv({
      TOPIC_IN: input, TOPIC_OUT: output, CHECKPOINT: checkpoint,
      SLUICE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', SLUICE_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', SLUICE_KAFKA_SASL_USERNAME: 'sluice',
      SLUICE_KAFKA_SASL_PASSWORD: kafkaPassword, SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION: kafkaEnv['SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION'],
      KAFKA_PW: '', SLUICE_REDIS_PASSWORD: '', REDIS_URL: redisUrl,
      SLUICE_METRICS_PORT: String(port), SLUICE_METRICS_TOKEN: metricsToken,
    });
    const query = sluice(['run', file], env);
    try {
      await waitFor(async () => query.child.exitCode !== null || (await countsIn(output))['x'] === '2', 'the counts over SASL_SSL', 90_000);
      expect(await countsIn(output)).toEqual({ x: '2', y: '1' });
      const id = /"queryId":"([0-9a-f-]{36})"/.exec(query.stderr)?.[1] ?? '';
      const get = async (path: string, token?: string): Promise<{ status: number; body: string }> => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
        const body = await res.text();
        captured.push({ what: `GET ${path}`, text: body });
        return { status: res.status, body };
      };
      for (const path of ['/', `/query/${id}`, '/api/queries', '/metrics', '/progress']) {
        expect({ path, status: (await get(path)).status }).toEqual({ path, status: 401 });
        expect({ path, status: (await get(path, 'not-the-token')).status }).toEqual({ path, status: 401 });
        expect({ path, status: (await get(path, metricsToken)).status }).toEqual({ path, status: 200 });
      }
      expect((await get('/', metricsToken)).body).toContain(id);
      expect((await get('/healthz')).status).toBe(200);
      await waitFor(async () => (await get('/readyz')).status === 200, '/readyz over SASL_SSL and TLS', 30_000);

      const statusJson = sluice(['status', '--json'], env);
      expect(await finished(statusJson, 'status --json')).toBe(0);
      expect((JSON.parse(statusJson.stdout) as Array<{ id: string }>).map((q) => q.id)).toContain(id);
      const table = sluice(['status'], env);
      expect(await finished(table, 'status')).toBe(0);
      expect(table.stdout).toContain(id);
    } finally {
      await stopProcess(query, 'SIGINT');
      captured.push({ what: 'configured run stdout', text: query.stdout }, { what: 'configured run stderr', text: query.stderr });
    }
    expect(query.child.exitCode).toBe(130);
  });

  it('the processor service runs the plan `sluice plan` wrote, its ${env:…} password resolved from the service\'s environment', async () => {
    const input = await newTopic(['p', 'q', 'p']);
    const output = await newTopic([]);
    const checkpoint = `test-${randomUUID()}`;
    checkpoints.push(checkpoint);
    const planFile = join(dir, 'service-plan.json');
    const env = userEnv({ TOPIC_IN: input, TOPIC_OUT: output, CHECKPOINT: checkpoint });
    const plan = sluice(['plan', program('service.ts', counting(true, '.trigger({ availableNow: true })')), '-o', planFile], env);
    expect(await finished(plan, 'service plan')).toBe(0);
    const text = readFileSync(planFile, 'utf8');
    captured.push({ what: 'service plan file', text });
    expect(text).toContain('${env:KAFKA_PW}');
    const processor = startProcess('node', [servicePath('processor')], { env: { ...env, SLUICE_QUERY_PLAN: planFile, SLUICE_METRICS_TOKEN: metricsToken } });
    expect(await finished(processor, 'processor service')).toBe(0);
    expect(await countsIn(output)).toEqual({ p: '2', q: '1' });
  });

  it('PLAIN and SCRAM-SHA-256 on the same listener; a wrong password or mechanism is refused in one line', async () => {
    const brokers = [kafkaEnv['KAFKA_BROKERS'] ?? ''];
    for (const mechanism of ['PLAIN', 'SCRAM-SHA-256'] as const) {
      const port = new KafkajsPort({ brokers, clientId: `test-${randomUUID()}`, security: scram(mechanism, kafkaPassword) });
      const admin = await port.admin();
      expect(await admin.listTopics()).toEqual(expect.arrayContaining(topics));
      await admin.close();
    }
    const wrong = new KafkajsPort({ brokers, clientId: `test-${randomUUID()}`, security: scram('SCRAM-SHA-256', 'not-the-password') });
    await expect(wrong.admin()).rejects.toMatchObject({
      code: 'LOCAL_STACK_ERROR',
      message: expect.stringMatching(/^Kafka at 127\.0\.0\.1:\d+ refused the SASL SCRAM-SHA-256 login of user 'sluice': /),
    });
  });

  it.each([
    ['a wrong Kafka password', { KAFKA_PW: 'wrong-kafka-password' }, 3, /^sluice run: Kafka at 127\.0\.0\.1:\d+ refused the SASL SCRAM-SHA-512 login of user 'sluice': SASL SCRAM SHA512 authentication failed: .*\. Check kafka\.sasl\.mechanism and kafka\.sasl\.jaas\.config \(or SLUICE_KAFKA_SASL_\*\)$/],
    ['a wrong Redis password', { SLUICE_REDIS_PASSWORD: 'wrong-redis-password' }, 3, /^sluice run: Redis at rediss:\/\/sluice@127\.0\.0\.1:\d+ refused the credentials \(WRONGPASS invalid username-password pair or user is disabled\): check the user and password in REDIS_URL, or SLUICE_REDIS_USERNAME and SLUICE_REDIS_PASSWORD$/],
    ['a wrong password in REDIS_URL', { SLUICE_REDIS_PASSWORD: undefined, REDIS_URL: 'wrong-redis-password' }, 3, /^sluice run: Redis at rediss:\/\/sluice:\*\*\*@127\.0\.0\.1:\d+ refused the credentials \(WRONGPASS/],
    ['no CA for the broker\'s certificate', { CA: '' , SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION: '' }, 3, /^sluice run: cannot open a TLS connection to Kafka at 127\.0\.0\.1:\d+: unable to verify the first certificate\. Set kafka\.ssl\.truststore\.location/],
    ['GSSAPI', { MECHANISM: 'GSSAPI' }, 1, /^OptionError: invalid Kafka option: kafka\.sasl\.mechanism = "GSSAPI"; allowed: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 \(GSSAPI\/Kerberos and OAUTHBEARER are not supported\)$/],
    ['OAUTHBEARER', { MECHANISM: 'OAUTHBEARER' }, 1, /^OptionError: invalid Kafka option: kafka\.sasl\.mechanism = "OAUTHBEARER"; allowed: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/],
    ['an unset ${env:…} variable', { KAFKA_PW: undefined }, 1, /^OptionError: invalid Kafka option: kafka\.sasl\.jaas\.config refers to \$\{env:KAFKA_PW\}, but KAFKA_PW is not set: set it where the query runs/],
  ] as const)('%s: refused at start in one line (no stack), naming what to fix', async (what, extra, code, line) => {
    const file = program(`refused-${code}-${randomUUID()}.ts`, counting(true, '.trigger({ availableNow: true })'));
    const env = userEnv({ TOPIC_IN: `test-${randomUUID()}`, TOPIC_OUT: `test-${randomUUID()}`, CHECKPOINT: `test-${randomUUID()}`, ...extra });
    // (REDIS_URL given as a password: that password put in the TLS Redis's URL.)
    const urlPassword = (extra as { readonly REDIS_URL?: string }).REDIS_URL;
    if (urlPassword !== undefined) env['REDIS_URL'] = (redisEnv['REDIS_URL'] ?? '').replace('sluice@', `sluice:${urlPassword}@`);
    for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
    const proc = sluice(['run', file], env);
    expect(await finished(proc, what)).toBe(code);
    const lines = plainLines(proc.stderr);
    expect(lines[0]).toMatch(line);
    // At most the program line that started the query follows; never a stack.
    expect(lines.slice(1).every((l) => /^ {4}at refused-[\w-]+\.ts:\d+:\d+$/.test(l))).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(2);
  });

  it('sluice plan refuses a password written in clear in the program, saying how to pass it', async () => {
    const literal = counting(true, '').replace('password="${env:KAFKA_PW}"', `password="${kafkaPassword}"`);
    const proc = sluice(['plan', program('literal.ts', literal)], userEnv({ TOPIC_IN: 'in', TOPIC_OUT: 'out', CHECKPOINT: `test-${randomUUID()}` }));
    expect(await finished(proc, 'plan of a literal password')).toBe(1);
    expect(plainLines(proc.stderr)[0]).toBe(
      'PlanError: option kafka.sasl.jaas.config of the kafka source holds a password in clear, and a plan holds no secrets: write password="${env:KAFKA_SASL_PASSWORD}" in it ' +
        '(a reference, in a quoted string rather than a template literal), and set that variable where the query runs (in Kubernetes, from a Secret: env[].valueFrom.secretKeyRef); ' +
        'sluice run resolves it from its own environment',
    );
    expect(proc.stdout).toBe('');
  });

  it('an ops port in use stops sluice run at start with one line naming the key and the port', async () => {
    const busy: Server = createServer();
    const port = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)));
    try {
      const file = program('rate.ts', 'import { SparkSession } from "sluice";\nconst spark = SparkSession.builder.appName("Rate").getOrCreate();\nawait spark.readStream.format("rate").load().writeStream.format("console").start().awaitTermination();\n');
      const proc = sluice(['run', file], { ...process.env, SLUICE_METRICS_PORT: String(port) });
      expect(await finished(proc, 'port in use')).toBe(2);
      expect(plainLines(proc.stderr)).toEqual([
        `ConfigError: invalid configuration: metrics.port (env SLUICE_METRICS_PORT) = ${port}; allowed: a free port on an address of this machine (127.0.0.1:${port} is in use by another process; port 0 picks a free one)`,
      ]);
    } finally {
      busy.close();
    }
  });

  it('no secret appears in anything these tests captured: logs, errors, status, plans, the live page', () => {
    expect(captured.length).toBeGreaterThan(20);
    for (const { what, text } of captured) {
      for (const secret of secretsOf()) {
        expect({ what, leaks: text.includes(secret) || text.includes(encodeURIComponent(secret)) }).toEqual({ what, leaks: false });
      }
    }
  });
});
