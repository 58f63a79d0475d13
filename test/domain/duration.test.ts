import { formatDuration, parseDuration } from '../../domain/duration';

describe('durations', () => {
  it.each([
    ['500ms', 0.5],
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['2d', 172800],
    ['0s', 0],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['5', '5 minutes', '1h30m', '-5s', '1.5h', 'm', ''])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [0.25, '250ms'],
    [90, '1m30s'],
    [3600, '1h'],
    [90061, '1d1h1m1s'],
    [0, '0s'],
  ])('formats %d seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
