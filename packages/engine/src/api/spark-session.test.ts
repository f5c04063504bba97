import { jest } from '@jest/globals';
import { SparkSession } from './spark-session.js';
import { applyConfiguredLogLevel, createLogger } from '../internal/logger.js';
import { QueryManager } from '../runtime/query-manager.js';

const spark = new SparkSession('log-test', new QueryManager());

/** The levels of the lines a logger writes to stderr while `fn` runs. */
function levelsWritten(fn: () => void): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return lines.map((l) => String((JSON.parse(l) as { level: unknown }).level));
}

const logEveryLevel = (): void => {
  const log = createLogger({ component: 'test' });
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
};

describe('spark.sparkContext.setLogLevel (SparkContext.setLogLevel)', () => {
  afterAll(() => spark.sparkContext.setLogLevel('INFO'));

  it('WARN stops the INFO lines, and a query starting later does not undo it', () => {
    spark.sparkContext.setLogLevel('WARN');
    expect(levelsWritten(logEveryLevel)).toEqual(['warn', 'error']);
    // What QueryManager does when the first query connects (SLUICE_LOG_LEVEL, default info):
    // it used to reset the level to info, so the program's setLogLevel("WARN") did nothing.
    applyConfiguredLogLevel('info');
    expect(levelsWritten(logEveryLevel)).toEqual(['warn', 'error']);
  });

  it.each<[string, string[]]>([
    ['ALL', ['debug', 'info', 'warn', 'error']],
    ['trace', ['debug', 'info', 'warn', 'error']],
    ['Debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['ERROR', ['error']],
    ['FATAL', []],
    ['off', []],
  ])('accepts Spark level %s, in any case', (level, written) => {
    spark.sparkContext.setLogLevel(level);
    expect(levelsWritten(logEveryLevel)).toEqual(written);
  });

  it.each(['bogus', '', ' WARN'])('rejects %j with the text of Spark 4.2.0 (IllegalArgumentException)', (level) => {
    expect(() => spark.sparkContext.setLogLevel(level)).toThrow(expect.objectContaining({
      code: 'ILLEGAL_ARGUMENT',
      message: `requirement failed: Supplied level ${level} did not match one of: ALL,DEBUG,ERROR,WARN,INFO,OFF,FATAL,TRACE`,
    }));
  });
});
