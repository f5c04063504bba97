/**
 * Secrets: which values are secret, how they are hidden, and references to them.
 *
 * - A key is secret when it matches Spark's `spark.redaction.regex` default
 *   (`secret|password|token|access.key`, any case), or is Kafka's `sasl.jaas.config` (whose
 *   password Spark's KafkaRedactionUtil hides) or `ssl.keystore.key` (a private key). Its
 *   value prints as Spark's `*********(redacted)`.
 * - Every secret value the process learns (a password in REDIS_URL, a resolved reference, a
 *   configured password) is registered, and every log line, error line and page Sluice writes
 *   goes through `redactText`, which hides registered values, URL passwords and JAAS passwords.
 * - A value may refer to an environment variable as Spark's configuration does:
 *   `${env:NAME}`. Plans keep the reference; it is resolved when the query connects.
 */

/** Spark's Utils.REDACTION_REPLACEMENT_TEXT. */
export const REDACTED = '*********(redacted)';

/** Spark's spark.redaction.regex default. */
const SECRET_KEY = /secret|password|token|access[.]?key/i;

const JAAS_CONFIG_KEY = /(^|\.)sasl\.jaas\.config$/i;

/** A private key given inline (Kafka types it as a password, as it does sasl.jaas.config). */
const PRIVATE_KEY_KEY = /(^|\.)ssl\.keystore\.key$/i;

/** `${env:NAME}`, Spark's ConfigReader syntax for an environment variable. */
const REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Values shorter than this are not searched for in text (they would hide ordinary words). */
const MIN_REGISTERED_LENGTH = 4;

const registered = new Set<string>();

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || JAAS_CONFIG_KEY.test(key) || PRIVATE_KEY_KEY.test(key);
}

export function isJaasConfigKey(key: string): boolean {
  return JAAS_CONFIG_KEY.test(key);
}

/** Remembers a secret value, so that no later line Sluice writes shows it. */
export function registerSecret(value: string): void {
  if (value.length < MIN_REGISTERED_LENGTH || value.includes('${env:')) return;
  registered.add(value);
  // As it appears inside JSON (log lines, the status output).
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) registered.add(escaped);
  const encoded = encodeURIComponent(value);
  if (encoded !== value) registered.add(encoded);
}

/** The names of the variables a value refers to with `${env:NAME}`. */
export function secretReferences(value: string): string[] {
  return [...value.matchAll(REFERENCE)].map((m) => m[1] ?? '');
}

/**
 * Replaces every `${env:NAME}` by the variable's value. A variable that is not set is reported
 * through `missing`, which throws. (The caller registers the result when it is a secret.)
 */
export function resolveReferences(value: string, lookup: (name: string) => string | undefined, missing: (name: string) => never): string {
  return value.replace(REFERENCE, (_, name: string) => {
    const resolved = lookup(name);
    return resolved === undefined ? missing(name) : resolved;
  });
}

/** The password of a JAAS line (`password="…"`) hidden, unless it is a reference. */
export function redactJaasConfig(value: string): string {
  return value.replace(/(password\s*=\s*)("(?:[^"\\]|\\.)*"|[^\s;"]+)/gi, (whole, head: string, quoted: string) => {
    const inner = quoted.startsWith('"') ? quoted.slice(1, -1) : quoted;
    return isReferenceOnly(inner) ? whole : `${head}"${REDACTED}"`;
  });
}

/** True when the value is nothing but `${env:NAME}` references (nothing secret in itself). */
export function isReferenceOnly(value: string): boolean {
  return value !== '' && value.replace(REFERENCE, '') === '';
}

/** An option's value as it may be shown: a secret key's literal value redacted. */
export function redactOption(key: string, value: string): string {
  if (isJaasConfigKey(key)) return redactJaasConfig(value);
  if (isSecretKey(key) && !isReferenceOnly(value)) return REDACTED;
  return value;
}

/** A text with every secret Sluice knows of hidden: registered values, URL and JAAS passwords. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  // scheme://user:password@host
  out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:@/\s"]*:)[^@/\s"]+@/gi, '$1***@');
  // password="…" in a JAAS line, also inside JSON (\"…\")
  out = out.replace(/(password\s*=\s*\\?")((?:[^"\\]|\\[^"])*)(\\?")/gi, (whole, head: string, inner: string, tail: string) =>
    isReferenceOnly(inner) || inner === REDACTED ? whole : `${head}${REDACTED}${tail}`);
  return out;
}
