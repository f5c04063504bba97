import { ConfigError } from '../errors/config-error.js';
import { OptionError } from '../errors/option-error.js';
import { isReferenceOnly, isSecretKey, redactOption, registerSecret, resolveReferences, secretReferences } from '../internal/secrets.js';
import { parseJaasConfig } from './jaas-config.js';

/**
 * How Sluice's Kafka client connects: TLS and SASL from Kafka's own client properties
 * (`security.protocol`, `sasl.*`, `ssl.*`), given as `kafka.`-prefixed source and sink options
 * as in Spark, or by the service configuration (SLUICE_KAFKA_*). A value Sluice's client cannot
 * honour is refused, naming the key, the value and what is allowed: nothing falls back to
 * PLAINTEXT silently. Values may be `${env:NAME}` references, resolved when the client is made.
 */

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The Kafka client properties Sluice honours (Kafka's names, without Spark's `kafka.`). */
export const SUPPORTED_SECURITY_KEYS = [
  'security.protocol', 'sasl.mechanism', 'sasl.jaas.config',
  'ssl.truststore.location', 'ssl.truststore.type', 'ssl.truststore.certificates', 'ssl.truststore.password',
  'ssl.keystore.location', 'ssl.keystore.type', 'ssl.keystore.key', 'ssl.keystore.certificate.chain',
  'ssl.keystore.password', 'ssl.key.password', 'ssl.endpoint.identification.algorithm',
] as const;

/** Credentials the service configuration may give without a JAAS line. */
const CONFIG_ONLY_KEYS = ['sasl.username', 'sasl.password'];

const LOGIN_MODULES: Readonly<Record<SaslMechanism, string>> = {
  'PLAIN': 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

export type SettingOrigin = 'option' | 'config';

/** One property as given, and how messages name it. */
export interface SecuritySetting {
  /** Kafka's name for it, e.g. `sasl.mechanism`. */
  readonly key: string;
  readonly value: string;
  readonly label: string;
  readonly origin: SettingOrigin;
}

export interface KafkaTls {
  /** PEM certificates to trust instead of Node's default CAs. */
  readonly ca: readonly string[] | null;
  /** A client certificate chain and key (PEM), for brokers that ask for one. */
  readonly cert: string | null;
  readonly key: string | null;
  readonly passphrase: string | null;
  /** Kafka's ssl.endpoint.identification.algorithm=https: the broker's name is checked. */
  readonly checkHostname: boolean;
}

export interface KafkaSasl {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: string;
}

/** Resolved (references and files read): what the Kafka port connects with. */
export interface KafkaSecurity {
  readonly protocol: SecurityProtocol;
  readonly tls: KafkaTls | null;
  readonly sasl: KafkaSasl | null;
}

export const PLAINTEXT_SECURITY: KafkaSecurity = { protocol: 'PLAINTEXT', tls: null, sasl: null };

/** The settings of one client: properties by Kafka name, each with where it was set. */
export class KafkaSecuritySettings {
  constructor(
    readonly entries: ReadonlyMap<string, SecuritySetting>,
    /** How a key that is not set is named in a message. */
    private readonly labelOfMissing: (key: string) => SecuritySetting,
  ) {}

  static empty(): KafkaSecuritySettings {
    return new KafkaSecuritySettings(new Map(), (key) => ({ key, value: '', label: `kafka.${key}`, origin: 'option' }));
  }

  get(key: string): SecuritySetting | undefined {
    return this.entries.get(key);
  }

  missing(key: string): SecuritySetting {
    return this.labelOfMissing(key);
  }

  /** These settings with `over`'s on top; a JAAS line set there replaces configured credentials. */
  overlay(over: KafkaSecuritySettings): KafkaSecuritySettings {
    if (over.entries.size === 0) return this;
    const merged = new Map(this.entries);
    if (over.entries.has('sasl.jaas.config')) for (const k of CONFIG_ONLY_KEYS) merged.delete(k);
    for (const [k, v] of over.entries) merged.set(k, v);
    return new KafkaSecuritySettings(merged, over.labelOfMissing);
  }

  map(f: (key: string, setting: SecuritySetting) => string): KafkaSecuritySettings {
    const out = new Map<string, SecuritySetting>();
    for (const [k, s] of this.entries) out.set(k, { ...s, value: f(k, s) });
    return new KafkaSecuritySettings(out, this.labelOfMissing);
  }
}

/** The security properties among `kafka.*` source or sink options (keys any case, as Spark's). */
export function securityOptionsOf(options: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(options)) {
    const key = k.toLowerCase();
    if (!key.startsWith('kafka.')) continue;
    const name = key.slice('kafka.'.length);
    if (name === 'security.protocol' || name.startsWith('sasl.') || name.startsWith('ssl.')) out.set(name, v);
  }
  return out;
}

/** Refuses a setting: a ConfigError for the service configuration, an OptionError for an option. */
export function refuse(setting: SecuritySetting, allowed: string): never {
  // A secret's value is never shown (a reference is: it names a variable, not its value).
  const shown = redactOption(setting.key, setting.value);
  if (setting.origin === 'config') throw new ConfigError(setting.label, shown, allowed);
  throw new OptionError(`invalid Kafka option: ${setting.label} = ${JSON.stringify(shown)}; allowed: ${allowed}`);
}

const hasReference = (s: SecuritySetting | undefined): boolean => s !== undefined && secretReferences(s.value).length > 0;

/**
 * Checks what can be checked before references are resolved and files read: the keys, and every
 * value that is not a reference; with `complete`, also that nothing needed is missing (a
 * program's options alone may leave the credentials to the service configuration). Throws
 * naming the key, the value and what is allowed.
 */
export function checkKafkaSecurity(settings: KafkaSecuritySettings, complete = true): void {
  for (const [key, setting] of settings.entries) {
    const known = (SUPPORTED_SECURITY_KEYS as readonly string[]).includes(key) || (setting.origin === 'config' && CONFIG_ONLY_KEYS.includes(key));
    if (!known) refuse(setting, `the Kafka security options Sluice's client supports: ${SUPPORTED_SECURITY_KEYS.map((k) => `kafka.${k}`).join(', ')}`);
  }
  const protocol = protocolOf(settings);
  if (protocol === null) return;
  if (protocol.startsWith('SASL_')) checkSasl(settings, complete);
  if (protocol.endsWith('SSL')) checkTls(settings, complete);
}

function protocolOf(settings: KafkaSecuritySettings): SecurityProtocol | null {
  const s = settings.get('security.protocol');
  if (s === undefined) return 'PLAINTEXT';
  if (hasReference(s)) return null;
  const value = s.value.trim().toUpperCase();
  if (!(SECURITY_PROTOCOLS as readonly string[]).includes(value)) refuse(s, SECURITY_PROTOCOLS.join(', '));
  return value as SecurityProtocol;
}

const MECHANISMS_ALLOWED = `${SASL_MECHANISMS.join(', ')} (GSSAPI/Kerberos and OAUTHBEARER are not supported)`;

function mechanismOf(settings: KafkaSecuritySettings, complete = true): SaslMechanism | null {
  const s = settings.get('sasl.mechanism');
  if (s === undefined && !complete) return null;
  // Kafka's default mechanism is GSSAPI (Kerberos), which Sluice's client does not speak.
  if (s === undefined) refuse({ ...settings.missing('sasl.mechanism'), value: 'GSSAPI' }, `${SASL_MECHANISMS.join(', ')}: it is not set, and Kafka's default GSSAPI (Kerberos) is not supported`);
  if (hasReference(s)) return null;
  const value = s.value.trim().toUpperCase();
  if (!(SASL_MECHANISMS as readonly string[]).includes(value)) refuse(s, MECHANISMS_ALLOWED);
  return value as SaslMechanism;
}

function checkSasl(settings: KafkaSecuritySettings, complete: boolean): void {
  const mechanism = mechanismOf(settings, complete);
  const jaas = settings.get('sasl.jaas.config');
  if (jaas === undefined) {
    if (!complete || (settings.get('sasl.username') !== undefined && settings.get('sasl.password') !== undefined)) return;
    const module = mechanism === null ? 'org.apache.kafka.common.security.scram.ScramLoginModule' : LOGIN_MODULES[mechanism];
    refuse(settings.missing('sasl.jaas.config'), `a JAAS line such as ${module} required username="…" password="\${env:KAFKA_SASL_PASSWORD}";`);
  }
  // A whole line from a variable is checked once resolved.
  if (isReferenceOnly(jaas.value)) return;
  const parsed = parseJaasConfig(jaas.value);
  if (typeof parsed === 'string') refuse(jaas, `one JAAS login module line (${parsed})`);
  if (mechanism !== null && parsed.loginModule !== LOGIN_MODULES[mechanism]) {
    refuse(jaas, `for ${mechanism}, ${LOGIN_MODULES[mechanism]} required username="…" password="…";`);
  }
  for (const option of ['username', 'password']) {
    if (parsed.options[option] === undefined) refuse(jaas, `a JAAS line with ${option}="…"`);
  }
}

const CONVERT_TRUSTSTORE = 'PEM (Sluice\'s client reads PEM: export the CA with keytool -exportcert -rfc -keystore <truststore> -alias <alias> -file ca.pem, or openssl pkcs12 -in <truststore.p12> -nokeys -out ca.pem, then set kafka.ssl.truststore.type=PEM and kafka.ssl.truststore.location=ca.pem)';
const CONVERT_KEYSTORE = 'PEM (Sluice\'s client reads PEM: convert with keytool -importkeystore -srckeystore <keystore.jks> -destkeystore ks.p12 -deststoretype PKCS12, then openssl pkcs12 -in ks.p12 -out client.pem, and set kafka.ssl.keystore.type=PEM, kafka.ssl.keystore.location=client.pem and, for an encrypted key, kafka.ssl.key.password)';

function checkTls(settings: KafkaSecuritySettings, complete: boolean): void {
  const type = (key: string, convert: string): void => {
    const s = settings.get(key);
    if (s !== undefined && !hasReference(s) && s.value.trim().toUpperCase() !== 'PEM') refuse(s, convert);
  };
  type('ssl.truststore.type', CONVERT_TRUSTSTORE);
  type('ssl.keystore.type', CONVERT_KEYSTORE);
  const both = (a: string, b: string): void => {
    const s = settings.get(b);
    if (settings.get(a) !== undefined && s !== undefined) refuse(s, `either kafka.${a} or kafka.${b}, not both`);
  };
  both('ssl.truststore.location', 'ssl.truststore.certificates');
  both('ssl.keystore.location', 'ssl.keystore.key');
  both('ssl.keystore.location', 'ssl.keystore.certificate.chain');
  if (complete && (settings.get('ssl.keystore.key') === undefined) !== (settings.get('ssl.keystore.certificate.chain') === undefined)) {
    const s = settings.get('ssl.keystore.key') ?? settings.get('ssl.keystore.certificate.chain') ?? settings.missing('ssl.keystore.key');
    refuse(s, 'kafka.ssl.keystore.key and kafka.ssl.keystore.certificate.chain together');
  }
  for (const key of ['ssl.truststore.password', 'ssl.keystore.password']) {
    const s = settings.get(key);
    if (s !== undefined) refuse(s, 'no password: a PEM store has none (an encrypted PEM key takes kafka.ssl.key.password)');
  }
  const algorithm = settings.get('ssl.endpoint.identification.algorithm');
  if (algorithm !== undefined && !hasReference(algorithm) && !['', 'HTTPS'].includes(algorithm.value.trim().toUpperCase())) {
    refuse(algorithm, 'https (check the broker\'s host name, the default) or empty (do not)');
  }
}

/** A `${env:NAME}` whose variable is not set where the query runs. */
function unsetReference(setting: SecuritySetting, name: string): never {
  const where = 'set it where the query runs (in Kubernetes, from a Secret: env[].valueFrom.secretKeyRef)';
  if (setting.origin === 'config') throw new ConfigError(setting.label, redactOption(setting.key, setting.value), `a value whose \${env:…} variables are set: ${name} is not; ${where}`);
  throw new OptionError(`invalid Kafka option: ${setting.label} refers to \${env:${name}}, but ${name} is not set: ${where}`);
}

/** Reads a file a setting names (a PEM store); a failure names the setting. */
export type ReadText = (path: string) => Promise<string>;

/**
 * Resolves settings into what the client connects with: `${env:NAME}` references replaced (a
 * missing variable is refused), every value checked, PEM files read. Secrets are registered so
 * that no log line shows them.
 */
export async function resolveKafkaSecurity(settings: KafkaSecuritySettings, env: (name: string) => string | undefined, read: ReadText): Promise<KafkaSecurity> {
  const resolved = settings.map((key, s) => {
    const value = resolveReferences(s.value, env, (name) => unsetReference(s, name));
    if (isSecretKey(key) || key === 'sasl.password') registerSecret(value);
    return value;
  });
  checkKafkaSecurity(resolved);
  const protocol = protocolOf(resolved) ?? 'PLAINTEXT';
  const sasl = protocol.startsWith('SASL_') ? saslOf(resolved) : null;
  const tls = protocol.endsWith('SSL') ? await tlsOf(resolved, read) : null;
  return { protocol, tls, sasl };
}

function saslOf(settings: KafkaSecuritySettings): KafkaSasl {
  const mechanism = mechanismOf(settings) ?? 'PLAIN';
  const jaas = settings.get('sasl.jaas.config');
  const parsed = jaas === undefined ? null : parseJaasConfig(jaas.value);
  const username = typeof parsed === 'object' && parsed !== null ? parsed.options['username'] : settings.get('sasl.username')?.value;
  const password = typeof parsed === 'object' && parsed !== null ? parsed.options['password'] : settings.get('sasl.password')?.value;
  registerSecret(password ?? '');
  return { mechanism, username: username ?? '', password: password ?? '' };
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PRIVATE_KEY = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/;

async function readSetting(setting: SecuritySetting, read: ReadText): Promise<string> {
  try {
    return await read(setting.value);
  } catch (err) {
    return refuse(setting, `a readable file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

async function tlsOf(settings: KafkaSecuritySettings, read: ReadText): Promise<KafkaTls> {
  let ca: string[] | null = null;
  const truststore = settings.get('ssl.truststore.location') ?? settings.get('ssl.truststore.certificates');
  if (truststore !== undefined) {
    const inline = settings.get('ssl.truststore.location') === undefined;
    const text = inline ? truststore.value : await readSetting(truststore, read);
    ca = text.match(CERTIFICATE) ?? [];
    // Kafka's default store type is JKS: without a type, a file that is not PEM is taken as one.
    if (ca.length === 0) refuse(truststore, settings.get('ssl.truststore.type') === undefined && !text.includes('-----BEGIN') ? CONVERT_TRUSTSTORE : 'PEM certificates (-----BEGIN CERTIFICATE-----)');
  }
  let cert: string | null = null;
  let key: string | null = null;
  const keystore = settings.get('ssl.keystore.location');
  const inlineKey = settings.get('ssl.keystore.key');
  if (keystore !== undefined || inlineKey !== undefined) {
    const where = keystore ?? inlineKey ?? settings.missing('ssl.keystore.key');
    const text = keystore !== undefined ? await readSetting(keystore, read)
      : `${inlineKey?.value ?? ''}\n${settings.get('ssl.keystore.certificate.chain')?.value ?? ''}`;
    key = PRIVATE_KEY.exec(text)?.[0] ?? null;
    const chain = text.match(CERTIFICATE);
    if (key === null || chain === null) {
      refuse(where, settings.get('ssl.keystore.type') === undefined && !text.includes('-----BEGIN') ? CONVERT_KEYSTORE : 'a PEM private key and its certificate chain');
    }
    cert = chain.join('\n');
  }
  const passphrase = settings.get('ssl.key.password')?.value ?? null;
  const algorithm = settings.get('ssl.endpoint.identification.algorithm')?.value.trim() ?? 'https';
  return { ca, cert, key, passphrase, checkHostname: algorithm !== '' };
}
