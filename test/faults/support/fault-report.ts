import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { peakRss } from '../../support/ingest-service.js';

/** One row of the fault suite's table. */
export interface FaultRow {
  readonly case: string;
  /** Rows the clients or files offered. */
  readonly sent: number;
  /** Rows found in the source topic (each once). */
  readonly out: number;
  /** Rows rejected by a limit (counted by the ingest's metric). */
  readonly rejected: number;
  /** Peak RSS of the process under test, bytes. */
  readonly peakRss: number;
  readonly note?: string;
}

/** Where scripts/faults.sh collects the rows for its table. */
export const REPORT_FILE = process.env['SLUICE_FAULTS_REPORT'] ?? join(process.cwd(), '.local', 'faults-report.jsonl');

/** Prints a case's row and keeps it for the table at the end of the run. */
export function report(row: FaultRow): void {
  const mb = (row.peakRss / (1024 * 1024)).toFixed(0);
  process.stdout.write(`FAULT ${row.case}: sent ${row.sent}, out ${row.out}, rejected ${row.rejected}, peak RSS ${mb} MB${row.note === undefined ? '' : ` (${row.note})`}\n`);
  mkdirSync(dirname(REPORT_FILE), { recursive: true });
  appendFileSync(REPORT_FILE, `${JSON.stringify(row)}\n`);
}

/** Samples a process's peak RSS (VmHWM) until stopped: the last sample before it exits. */
export class RssWatch {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number | undefined) {
    this.timer = setInterval(() => this.sample(), 250);
  }

  sample(): number {
    this.peak = Math.max(this.peak, peakRss(this.pid));
    return this.peak;
  }

  stop(): number {
    clearInterval(this.timer);
    return this.sample();
  }
}

export const MB = 1024 * 1024;
