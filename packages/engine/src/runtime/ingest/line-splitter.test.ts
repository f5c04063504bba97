import { LineSplitter } from './line-splitter.js';

/** Splits `chunks` and returns what the handler saw: lines as text, skipped lines as `<n bytes>`. */
function split(chunks: ReadonlyArray<string | Buffer>, maxLineBytes = 1 << 20, end = true): string[] {
  const out: string[] = [];
  const splitter = new LineSplitter(maxLineBytes, {
    line: (text, bytes) => {
      expect(bytes).toBe(Buffer.byteLength(text, 'utf8'));
      out.push(text);
    },
    tooLong: (bytes) => out.push(`<${bytes} bytes>`),
  });
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  if (end) splitter.end();
  return out;
}

describe('LineSplitter', () => {
  it('ends a line at LF, CR or CR LF, as BufferedReader.readLine and Hadoop\'s LineReader', () => {
    expect(split(['a\nb\rc\r\nd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(split(['\n\r\n\r'])).toEqual(['', '', '']);
    expect(split(['x\n\ny\n'])).toEqual(['x', '', 'y']);
  });

  it('keeps CR LF one terminator when a chunk ends between them', () => {
    expect(split(['one\r', '\ntwo\r', 'three\r', '\r\n'])).toEqual(['one', 'two', 'three', '']);
  });

  it('joins a line spanning chunks, multi-byte characters split between chunks included', () => {
    const text = Buffer.from('héllo wörld ✓\n', 'utf8');
    const chunks = [...text].map((b) => Buffer.from([b]));
    expect(split(chunks)).toEqual(['héllo wörld ✓']);
  });

  it('gives what follows the last terminator as a line at the end, or drops it on discard', () => {
    expect(split(['a\nrest'])).toEqual(['a', 'rest']);
    const out: string[] = [];
    const splitter = new LineSplitter(100, { line: (t) => out.push(t), tooLong: () => undefined });
    splitter.push(Buffer.from('a\npartial'));
    expect(splitter.hasPartial).toBe(true);
    expect(splitter.discard()).toBe(7);
    splitter.end();
    expect(out).toEqual(['a']);
  });

  it('skips a line over the limit as it arrives and keeps its neighbours', () => {
    expect(split(['ok\n', 'x'.repeat(10), 'y'.repeat(10), '\r\nnext\n'], 15)).toEqual(['ok', '<20 bytes>', 'next']);
    expect(split(['ok\n' + 'z'.repeat(16) + '\nafter'], 15)).toEqual(['ok', '<16 bytes>', 'after']);
    // Exactly at the limit is a line.
    expect(split(['q'.repeat(15) + '\n'], 15)).toEqual(['q'.repeat(15)]);
    // An endless line at the end of the stream is skipped too.
    expect(split(['w'.repeat(40)], 15)).toEqual(['<40 bytes>']);
  });

  it('holds at most the limit of an endless line, and splits 30 MB of it with no quadratic re-join', () => {
    const out: string[] = [];
    const splitter = new LineSplitter(1_000_000, { line: (t) => out.push(t), tooLong: (b) => out.push(`<${b}>`) });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let maxHeld = 0;
    for (let i = 0; i < 480; i++) {
      splitter.push(chunk);
      maxHeld = Math.max(maxHeld, splitter.heldBytes);
    }
    splitter.push(Buffer.from('\ngood\n'));
    expect(out).toEqual([`<${480 * 64 * 1024}>`, 'good']);
    expect(maxHeld).toBeLessThanOrEqual(1_000_000);
  });
});
