import type { DataType, Value } from '../core/types.js';
import { unsafeRowHashCode } from '../state/unsafe-row.js';
import { hashInt, hashLong, hashPartition, murmur3Hash, pmod } from './murmur3.js';

const WINDOW: DataType = {
  kind: 'struct',
  fields: [{ name: 'start', type: 'timestamp', nullable: true }, { name: 'end', type: 'timestamp', nullable: true }],
};
const array = (elementType: DataType): DataType => ({ kind: 'array', elementType, containsNull: true });

/**
 * Expected values from Spark 4.2.0's own classes (spark-catalyst/spark-unsafe jars, JDK 17):
 * `Murmur3HashFunction.hash(v, type, seed)` folded over the values from seed 42 (what
 * `hash(...)` returns and HashPartitioning hashes), and `UnsafeProjection.create(schema)
 * .apply(row).hashCode()` (how HDFSBackedStateStoreMap's ConcurrentHashMap places a state key).
 */
const VECTORS: Array<[string, DataType[], Value[], number, number]> = [
  ['a', ['string'], ['a'], 1485273170, 824341052],
  ['b', ['string'], ['b'], 1905031361, 1800329907],
  ['c', ['string'], ['c'], -2124386278, 542028316],
  ['empty string', ['string'], [''], 142593372, 168542087],
  ['abc (tail bytes)', ['string'], ['abc'], 1322437556, -86063249],
  ['abcd', ['string'], ['abcd'], -396302900, -1358780846],
  ['abcde', ['string'], ['abcde'], 814637928, -1480562375],
  ['hello world', ['string'], ['hello world'], -1528836094, 161593394],
  ['é (2 UTF-8 bytes)', ['string'], ['é'], 2119106806, 2064412242],
  ['日本語', ['string'], ['日本語'], -1143049834, -476998221],
  ['long string', ['string'], ['a string that is certainly longer than twenty characters'], 883270642, 745374915],
  ['int 0', ['int'], [0], 933211791, -300363099],
  ['int 1', ['int'], [1], -559580957, 1465514398],
  ['int -1', ['int'], [-1], -1604776387, 1133687267],
  ['int 42', ['int'], [42], 29417773, 907821237],
  ['int max', ['int'], [2147483647], 133916647, -1125657321],
  ['int min', ['int'], [-2147483648], 723455942, 916225219],
  ['bigint 0', ['bigint'], [0], -1670924195, -300363099],
  ['bigint 1', ['bigint'], [1], -1712319331, 1465514398],
  ['bigint -1', ['bigint'], [-1], -939490007, -821098432],
  ['bigint 2^53-1', ['bigint'], [9007199254740991], 1254640103, -1511839188],
  ['bigint -(2^53-1)', ['bigint'], [-9007199254740991], -2127917060, 920928129],
  // A BIGINT past 2^53 is a bigint; a DECIMAL its unscaled value (a long up to precision 18, the
  // BigInteger's bytes past it; a NULL wide DECIMAL still takes its 16 bytes in the row).
  ['bigint max', ['bigint'], [9223372036854775807n], -1604625029, -1566569095],
  ['bigint min', ['bigint'], [-9223372036854775808n], -853646085, 302122119],
  ['bigint 2^53+1', ['bigint'], [9007199254740993n], 1386081767, 1801556886],
  ['decimal(10,2) 1.50', ['decimal(10,2)'], [150], -2056712946, -616511498],
  ['decimal(18,0) -999999999999999999', ['decimal(18,0)'], [-999999999999999999n], 1962370902, -391672493],
  ['decimal(30,5) 1.5', ['decimal(30,5)'], [150000], 157495109, -1473513925],
  ['decimal(30,5) -123456789012345678901234.5', ['decimal(30,5)'], [-12345678901234567890123450000n], 1629290425, 1667473677],
  ['decimal(38,0) 10^37', ['decimal(38,0)'], [10n ** 37n], 216387744, -237489491],
  ['decimal(20,2) 0', ['decimal(20,2)'], [0], -783713497, 728486185],
  ['decimal(30,5) NULL', ['decimal(30,5)'], [null], 42, -1381100695],
  ['timestamp', ['timestamp'], [1704067200000000], 1545358984, -998590014],
  ['timestamp before 1970', ['timestamp'], [-1000000], 346627249, 669051185],
  ['date', ['date'], [19723], -456589419, -1439008885],
  ['double 0.0', ['double'], [0], -1670924195, -300363099],
  ['double 1.5', ['double'], [1.5], 1290763749, 1860889473],
  ['double NaN', ['double'], [NaN], -1281358385, -1323214697],
  ['double 1e300', ['double'], [1e300], -359479591, -254947669],
  ['double -2.25', ['double'], [-2.25], 170083257, -413435051],
  ['float 1.5', ['float'], [1.5], -221251528, -173842779],
  ['float NaN', ['float'], [NaN], -349261430, -2039172089],
  ['boolean true', ['boolean'], [true], -559580957, 1465514398],
  ['boolean false', ['boolean'], [false], 933211791, -300363099],
  ['smallint -1', ['smallint'], [-1], -1604776387, 2143727727],
  ['tinyint 5', ['tinyint'], [5], 1023896466, 260196596],
  ['binary', ['binary'], ['0102ff'], 456895484, 45131781],
  ['NULL int', ['int'], [null], 42, -680163996],
  ['NULL string', ['string'], [null], 42, -680163996],
  ['window', [WINDOW], [[1704067200000000, 1704067210000000]], 543440942, 731189838],
  ['window 2', [WINDOW], [[1704067195000000, 1704067205000000]], 312298063, -1360270714],
  ['string, int', ['string', 'int'], ['a', 1], 532252686, 971397888],
  ['NULL, int', ['string', 'int'], [null, 1], -559580957, 1644079693],
  ['string, NULL', ['string', 'int'], ['a', null], 1485273170, 1665719966],
  ['string, string', ['string', 'string'], ['s1', 's2'], 118404628, 1056541586],
  ['int, int', ['int', 'int'], [1, 2], -222940379, 1909828896],
  ['string, window', ['string', WINDOW], ['s1', [1704067200000000, 1704067210000000]], -461220792, -1215640623],
  ['array<int>', [array('int')], [[1, 2, 3]], -912918097, 900098732],
  ['array<int> with NULL', [array('int')], [[1, null, 3]], 1066699649, -225699157],
  ['array<string>', [array('string')], [['a', 'bb', null, 'hello world']], -2092897217, -803605046],
  ['array<bigint>', [array('bigint')], [[5]], 1607884268, 1185003052],
  ['array<double>', [array('double')], [[1.5, 2.5]], -311103021, -1402281744],
  ['string, array<string>, int', ['string', array('string'), 'int'], ['x', ['p', 'q'], 7], 1722186674, 763551824],
];

describe('Murmur3Hash (seed 42), as Spark 4.2.0 computes it', () => {
  it.each(VECTORS)('%s', (_name, types, values, hash) => {
    expect(murmur3Hash(values, types)).toBe(hash);
  });

  it('hashes -0.0 as 0.0 (the value Murmur3HashFunction normalises)', () => {
    expect(murmur3Hash([-0], ['double'])).toBe(murmur3Hash([0], ['double']));
    expect(murmur3Hash([-0], ['float'])).toBe(hashInt(0, 42));
  });

  it("matches Spark's documented examples: hash('Spark', array(123), 2) = -1321691492", () => {
    expect(murmur3Hash(['Spark', [123], 2], ['string', array('int'), 'int'])).toBe(-1321691492);
  });

  it('hashLong takes the low word first', () => {
    expect(hashLong(0, 42)).toBe(-1670924195);
    expect(hashLong(2 ** 32, 42)).not.toBe(hashLong(1, 42));
  });
});

describe('UnsafeRow.hashCode, as Spark 4.2.0 computes it', () => {
  it.each(VECTORS)('%s', (_name, types, values, _hash, rowHash) => {
    expect(unsafeRowHashCode(values, types)).toBe(rowHash);
  });
});

describe('shuffle partition: pmod(murmur3hash(keys, 42), n)', () => {
  it('pmod is never negative', () => {
    expect(pmod(-7, 5)).toBe(3);
    expect(pmod(7, 5)).toBe(2);
    expect(pmod(-10, 5)).toBe(0);
  });

  it("puts 'b' (161) before 'a' (170) with 200 partitions, 'a' (0) before 'b' (1) with 2", () => {
    expect(hashPartition(['a'], ['string'], 200)).toBe(170);
    expect(hashPartition(['b'], ['string'], 200)).toBe(161);
    expect(hashPartition(['a'], ['string'], 2)).toBe(0);
    expect(hashPartition(['b'], ['string'], 2)).toBe(1);
  });

  it('a NULL key hashes as the seed: partition 42 of 200', () => {
    expect(hashPartition([null], ['string'], 200)).toBe(42);
  });
});
