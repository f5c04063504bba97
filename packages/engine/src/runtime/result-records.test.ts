import type { Schema } from '../core/types.js';
import { decodeResult, encodeBatch, HEADER_BATCH_ID, HEADER_KIND } from './result-records.js';
import { decodeSourceRow, encodeSourceRow } from './source-records.js';

const schema: Schema = [
  { name: 'l', type: 'bigint', nullable: true },
  { name: 'd', type: 'decimal(30,2)', nullable: true },
];

describe('records between roles', () => {
  it('carry a BIGINT past 2^53 and a wide DECIMAL exactly (result records)', () => {
    const rows = [[9223372036854775807n, 12345678901234567890123n], [1, 150], [null, null]];
    const records = encodeBatch('q', 3, 'append', schema, rows);
    const decoded = decodeResult({ [HEADER_BATCH_ID]: '3', [HEADER_KIND]: 'rows' }, Buffer.from(String(records[0]?.value ?? '')));
    expect(decoded).toEqual({ kind: 'rows', batchId: 3, rows });
  });

  it('carry them exactly (source records)', () => {
    const row = [-9223372036854775808n, 10n ** 29n];
    expect(decodeSourceRow(schema, Buffer.from(encodeSourceRow(schema, row)))).toEqual({ ok: true, row });
  });
});
