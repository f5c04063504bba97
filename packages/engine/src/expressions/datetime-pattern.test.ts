import { formatDatetime, parseDatetime, DatetimeParseFailure } from './datetime-pattern.js';

const ts = (iso: string): number => Date.parse(`${iso}Z`) * 1000;

describe('Spark datetime patterns: formatting', () => {
  const t = ts('2024-03-05T07:08:09.5');
  it.each<[string, string]>([
    ['yyyy/MM/dd HH:mm:ss', '2024/03/05 07:08:09'],
    ['EEE MMM d', 'Tue Mar 5'],
    ['EEEE, MMMM dd', 'Tuesday, March 05'],
    ['HH:mm:ss.SSS', '07:08:09.500'],
    ['h:mm a', '7:08 AM'],
    ['yy-M-d D', '24-3-5 65'],
    ['DDD Q QQQ', '065 1 Q1'],
    ["yyyy-MM-dd'T'HH:mm:ss''", "2024-03-05T07:08:09'"],
    ['yyyy-MM-dd HH:mm:ss XXX', '2024-03-05 07:08:09 Z'],
    ['yyyy-MM-dd HH:mm:ss xxx', '2024-03-05 07:08:09 +00:00'],
    ['S SS SSSSSS', '5 50 500000'],
  ])('%s', (pattern, expected) => {
    expect(formatDatetime(t, pattern, 'UTC')).toBe(expected);
  });

  it('prints in the session time zone', () => {
    expect(formatDatetime(ts('1999-12-31T23:59:59'), 'yyyy-MM-dd HH:mm EEE XXX', 'Asia/Kolkata')).toBe('2000-01-01 05:29 Sat +05:30');
    expect(formatDatetime(ts('2024-07-01T12:00:00'), 'HH:mm z', 'America/New_York')).toBe('08:00 EDT');
  });

  it('prints PM hours on the 12-hour clock', () => {
    expect(formatDatetime(ts('2024-03-05T12:30:00'), 'hh:mm a', 'UTC')).toBe('12:30 PM');
    expect(formatDatetime(ts('2024-03-05T00:30:00'), 'hh:mm a K', 'UTC')).toBe('12:30 AM 0');
  });
});

describe('Spark datetime patterns: parsing', () => {
  it.each<[string, string, string]>([
    ['05/03/2024 10:20', 'dd/MM/yyyy HH:mm', '2024-03-05T10:20:00'],
    ['31/12/1999 23:59', 'dd/MM/yyyy HH:mm', '1999-12-31T23:59:00'],
    ['1970-01-02', 'yyyy-MM-dd', '1970-01-02T00:00:00'],
    ['5/3/2024', 'd/M/yyyy', '2024-03-05T00:00:00'],
    ['20240305', 'yyyyMMdd', '2024-03-05T00:00:00'],
    ['Mar 5 2024 7:08 pm', 'MMM d yyyy h:mm a', '2024-03-05T19:08:00'],
    ['2024-03-05 10:20:30.25', 'yyyy-MM-dd HH:mm:ss.SS', '2024-03-05T10:20:30.25'],
    ['2024-03-05T10:20:30+01:00', "yyyy-MM-dd'T'HH:mm:ssXXX", '2024-03-05T09:20:30'],
    ['24-03-05', 'yy-MM-dd', '2024-03-05T00:00:00'],
  ])('%s with %s', (text, pattern, iso) => {
    expect(parseDatetime(text, pattern, 'UTC')).toBe(ts(iso));
  });

  it('reads a local time in the session time zone', () => {
    expect(parseDatetime('2024-03-05 10:00', 'yyyy-MM-dd HH:mm', 'Asia/Kolkata')).toBe(ts('2024-03-05T04:30:00'));
  });

  it("fails with Java's message on text that does not match or names no real date", () => {
    const bad = parseDatetime('2024/03/05', 'yyyy-MM-dd', 'UTC');
    expect(bad).toBeInstanceOf(DatetimeParseFailure);
    expect((bad as DatetimeParseFailure).message).toBe("Text '2024/03/05' could not be parsed at index 4");
    expect((parseDatetime('2024-13-01', 'yyyy-MM-dd', 'UTC') as DatetimeParseFailure).message)
      .toBe("Text '2024-13-01' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13");
    expect(parseDatetime('2023-02-29', 'yyyy-MM-dd', 'UTC')).toBeInstanceOf(DatetimeParseFailure);
    expect(parseDatetime('2024-03-05 extra', 'yyyy-MM-dd', 'UTC')).toBeInstanceOf(DatetimeParseFailure);
  });
});
