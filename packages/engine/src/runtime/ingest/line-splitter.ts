/** What a LineSplitter finds in the bytes it is given. */
export interface LineHandler {
  /** A complete line, terminator stripped, decoded as UTF-8; `bytes` is its encoded length. */
  line(text: string, bytes: number): void;
  /** A line longer than the limit: its bytes were skipped, never held whole. */
  tooLong(bytes: number): void;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines in linear time, as Java's BufferedReader.readLine (Spark's
 * socket source) and Hadoop's LineReader (its text, CSV and JSON files) do: a line ends at LF,
 * CR or CR LF; at the end of the stream, what follows the last terminator is a line too. Bytes
 * are split before decoding (LF and CR never occur inside a UTF-8 sequence), and the pieces of
 * a line spanning chunks are kept as a list and joined once, at its end. A line over
 * `maxLineBytes` is skipped as it arrives (Hadoop's maxLineLength skips such lines likewise),
 * so one endless line holds at most `maxLineBytes` in memory.
 */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  /** The line being read is over the limit: its bytes are counted, not kept. */
  private skipping = false;
  /** The last chunk ended with CR: an LF starting the next one belongs to it. */
  private afterCr = false;

  constructor(private readonly maxLineBytes: number, private readonly handler: LineHandler) {}

  /** Bytes of the unfinished line held now (0 while one is being skipped). */
  get heldBytes(): number {
    return this.skipping ? 0 : this.pieceBytes;
  }

  /** Whether bytes of an unfinished line have been read. */
  get hasPartial(): boolean {
    return this.pieceBytes > 0;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (chunk.length > 0 && chunk[0] === LF) pos = 1;
    }
    // Next LF and CR at or after `pos`; -1 once the chunk has none, so each byte is scanned once.
    let lf = chunk.indexOf(LF, pos);
    let cr = chunk.indexOf(CR, pos);
    while (pos < chunk.length) {
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) {
        this.hold(chunk.subarray(pos));
        return;
      }
      if (this.pieceBytes === 0) this.emit(chunk, pos, end);
      else {
        this.hold(chunk.subarray(pos, end));
        this.finishLine();
      }
      pos = end + 1;
      if (end === cr) {
        if (pos === chunk.length) this.afterCr = true;
        else if (chunk[pos] === LF) pos += 1;
      }
      if (lf >= 0 && lf < pos) lf = chunk.indexOf(LF, pos);
      if (cr >= 0 && cr < pos) cr = chunk.indexOf(CR, pos);
    }
  }

  /** The stream ended: an unfinished line is a line (as readLine returns it at end of stream). */
  end(): void {
    if (this.pieceBytes > 0) this.finishLine();
  }

  /** Drops the unfinished line (the reader stops before the stream ends); returns its bytes. */
  discard(): number {
    const bytes = this.pieceBytes;
    this.reset();
    return bytes;
  }

  /** A line wholly inside one chunk: decoded in place. */
  private emit(chunk: Buffer, start: number, end: number): void {
    const bytes = end - start;
    if (bytes > this.maxLineBytes) this.handler.tooLong(bytes);
    else this.handler.line(chunk.toString('utf8', start, end), bytes);
  }

  private hold(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.pieceBytes += bytes.length;
    if (this.skipping) return;
    if (this.pieceBytes > this.maxLineBytes) {
      this.skipping = true;
      this.pieces = [];
      return;
    }
    // A copy: the chunk's memory is not pinned by a small piece of it.
    this.pieces.push(Buffer.from(bytes));
  }

  private finishLine(): void {
    const bytes = this.pieceBytes;
    if (this.skipping) {
      this.reset();
      this.handler.tooLong(bytes);
      return;
    }
    const pieces = this.pieces;
    this.reset();
    const text = pieces.length === 0 ? '' : pieces.length === 1 ? (pieces[0] as Buffer).toString('utf8') : Buffer.concat(pieces, bytes).toString('utf8');
    this.handler.line(text, bytes);
  }

  private reset(): void {
    this.pieces = [];
    this.pieceBytes = 0;
    this.skipping = false;
  }
}
