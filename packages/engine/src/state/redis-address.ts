/**
 * What REDIS_URL names: one Redis server (`redis://`, `rediss://`), or a Redis Cluster by a
 * few of its nodes (`redis+cluster://h1:p1,h2:p2`, `rediss+cluster://` for TLS). One variable
 * for both, so a Kubernetes ConfigMap switches to a cluster by changing one value; the seed
 * list may be a single Service name, as the client learns the other nodes from the cluster.
 */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

export type RedisAddress =
  | { readonly kind: 'standalone'; readonly url: string; readonly nodes: readonly RedisNode[] }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly RedisNode[];
      readonly username: string;
      readonly password: string;
      readonly tls: boolean;
    };

/** What REDIS_URL may hold, for error messages. */
export const REDIS_URL_ALLOWED =
  'a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), a Redis Cluster as ' +
  'redis+cluster://[user:password@]host:port[,host:port…] (rediss+cluster:// for TLS), ' +
  'or empty to use or start a local Redis';

const DEFAULT_PORT = 6379;

/** Parses a REDIS_URL value; a TypeError says what is wrong and what is allowed. */
export function parseRedisUrl(value: string): RedisAddress {
  const scheme = /^([a-z+]+):\/\//.exec(value)?.[1];
  if (scheme === 'redis' || scheme === 'rediss') return standalone(value);
  if (scheme === 'redis+cluster' || scheme === 'rediss+cluster') return cluster(value, scheme.length + 3, scheme === 'rediss+cluster');
  throw new TypeError(REDIS_URL_ALLOWED);
}

function standalone(value: string): RedisAddress {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(REDIS_URL_ALLOWED);
  }
  if (/\s/.test(value) || url.hostname === '') throw new TypeError(REDIS_URL_ALLOWED);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { kind: 'standalone', url: value, nodes: [{ host, port: url.port === '' ? DEFAULT_PORT : Number(url.port) }] };
}

function cluster(value: string, start: number, tls: boolean): RedisAddress {
  const rest = value.slice(start);
  const at = rest.lastIndexOf('@');
  const credentials = at < 0 ? '' : rest.slice(0, at);
  const afterCredentials = at < 0 ? rest : rest.slice(at + 1);
  const slash = afterCredentials.indexOf('/');
  const hosts = slash < 0 ? afterCredentials : afterCredentials.slice(0, slash);
  const path = slash < 0 ? '' : afterCredentials.slice(slash);
  if (path !== '' && path !== '/' && path !== '/0') {
    throw new TypeError(`a Redis Cluster has only database 0 (no path other than /0); ${REDIS_URL_ALLOWED}`);
  }
  const colon = credentials.indexOf(':');
  const username = decodeURIComponent(colon < 0 ? credentials : credentials.slice(0, colon));
  const password = colon < 0 ? '' : decodeURIComponent(credentials.slice(colon + 1));
  const nodes = hosts.split(',').map((h) => node(h.trim()));
  return { kind: 'cluster', nodes, username, password, tls };
}

function node(text: string): RedisNode {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+))(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[3] === undefined ? DEFAULT_PORT : Number(m[3]);
  if (m === null || port < 1 || port > 65535) {
    throw new TypeError(`'${text}' is not host:port; ${REDIS_URL_ALLOWED}`);
  }
  return { host: m[1] ?? m[2] ?? '', port };
}
