import { parseRedisUrl } from './redis-address.js';

describe('parseRedisUrl', () => {
  it('a redis:// or rediss:// URL names one server (default port 6379)', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/2')).toEqual({ kind: 'standalone', url: 'redis://127.0.0.1:6380/2', nodes: [{ host: '127.0.0.1', port: 6380 }] });
    expect(parseRedisUrl('rediss://u:p@redis.example')).toMatchObject({ kind: 'standalone', nodes: [{ host: 'redis.example', port: 6379 }] });
    expect(parseRedisUrl('redis://[::1]:7000').nodes).toEqual([{ host: '::1', port: 7000 }]);
  });

  it('redis+cluster:// names a cluster by seed nodes, with credentials for all of them', () => {
    expect(parseRedisUrl('redis+cluster://127.0.0.1:7000,127.0.0.1:7001, [::1]:7002')).toEqual({
      kind: 'cluster', username: '', password: '', tls: false,
      nodes: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }, { host: '::1', port: 7002 }],
    });
    expect(parseRedisUrl('rediss+cluster://app:s%40cret@redis-cluster.redis.svc/')).toEqual({
      kind: 'cluster', username: 'app', password: 's@cret', tls: true, nodes: [{ host: 'redis-cluster.redis.svc', port: 6379 }],
    });
  });

  it.each([
    ['http://h:1', 'a redis:// or rediss:// URL'],
    ['redis://', 'a redis:// or rediss:// URL'],
    ['redis+cluster://', "'' is not host:port"],
    ['redis+cluster://h1:7000,,h2:7001', "'' is not host:port"],
    ['redis+cluster://h1:99999', "'h1:99999' is not host:port"],
    ['redis+cluster://h1:7000/1', 'a Redis Cluster has only database 0'],
  ])('refuses %s, saying what is allowed', (url, reason) => {
    expect(() => parseRedisUrl(url)).toThrow(reason);
    expect(() => parseRedisUrl(url)).toThrow('redis+cluster://[user:password@]host:port');
  });
});
