import { checkpointKeys, hashTagOf, isCheckpointKeySuffix, legacyCheckpointKeys } from './keys.js';

describe('checkpoint keys', () => {
  it('every key of a checkpoint carries its hash tag, so a commit unit stays in one cluster slot', () => {
    for (const location of ['checkpoints/word-count', 'a}b', '{x}', '', 'with:colons']) {
      const k = checkpointKeys(location);
      const all = [k.metadata, k.offsets, k.commits, k.stateVersion, k.state('0', 0), k.state('3', 7),
        k.sinkLastBatch('console'), k.sinkOffset('console'), k.sourceFiles(0), k.sourceTaking(1), k.sourceOffered(2)];
      const tags = new Set(all.map(hashTagOf));
      expect(tags.size).toBe(1);
      expect([...tags][0]).not.toBe(all[0]);
    }
    expect(checkpointKeys('q').state('2', 0)).toBe('sluice:{cp:q}:state:2:0');
  });

  it('two locations get two tags (two queries may live in two slots)', () => {
    expect(hashTagOf(checkpointKeys('q1').commits)).not.toBe(hashTagOf(checkpointKeys('q2').commits));
  });

  it('hashTagOf follows Redis Cluster: first { to the next }, whole key when empty or absent', () => {
    expect(hashTagOf('a{b}c')).toBe('b');
    expect(hashTagOf('a{}c{d}')).toBe('a{}c{d}');
    expect(hashTagOf('a{b{c}d}')).toBe('b{c');
    expect(hashTagOf('plain')).toBe('plain');
  });

  it('the removal pattern is the checkpoint only, with glob characters of the location escaped', () => {
    expect(checkpointKeys('cp*[1]').all).toBe('sluice:{cp:cp\\*\\[1\\]}:*');
  });

  it('layout-1 names, for migration: only the names a checkpoint has, not a longer location\'s', () => {
    const legacy = legacyCheckpointKeys('q');
    expect(legacy.metadata).toBe('sluice:cp:q:metadata');
    expect(legacy.state('0', 0)).toBe('sluice:cp:q:state:0:0');
    for (const ok of ['metadata', 'offsets', 'commits', 'state:version', 'state:0:0', 'sinks:console:last-batch', 'sinks:console:offset', 'sources:0:files', 'sources:1:taking', 'sources:2:offered']) {
      expect(isCheckpointKeySuffix(ok)).toBe(true);
    }
    // Keys of the locations 'q:b', 'q:state' and 'q:sinks:x'.
    for (const other of ['b:metadata', 'state:commits', 'state:op:state:version', 'sinks:x:offsets', 'state:0:x']) {
      expect(isCheckpointKeySuffix(other)).toBe(false);
    }
  });
});
