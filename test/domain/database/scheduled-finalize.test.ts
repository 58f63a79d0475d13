import type { DatabaseKind } from '../../../domain/context/execution-context';
import {
  FINALIZE_LEAD_MS,
  finalizeAt,
  needsScheduledFinalize,
} from '../../../domain/database/scheduled-finalize';

describe('the scheduled finalize', () => {
  it.each<[DatabaseKind, boolean]>([
    ['postgres-logical', true],
    ['rds-read-replica', false],
    ['rds-blue-green', false],
    ['none', false],
  ])('is needed for %s: %s', (kind, needed) => {
    expect(needsScheduledFinalize(kind)).toBe(needed);
  });

  const completedAt = new Date('2026-11-30T10:00:00.000Z');

  it('runs when blue’s retention ends', () => {
    const keepBlueUntil = new Date('2026-12-07T10:00:00.000Z');
    expect(finalizeAt(completedAt, keepBlueUntil)).toEqual(keepBlueUntil);
  });

  it.each([
    ['no retention', 0],
    ['a retention shorter than the lead', 30_000],
  ])('runs a minute after the cutover with %s (an at() schedule must lie ahead)', (_, retentionMs) => {
    const keepBlueUntil = new Date(completedAt.getTime() + retentionMs);
    expect(finalizeAt(completedAt, keepBlueUntil)).toEqual(
      new Date(completedAt.getTime() + FINALIZE_LEAD_MS),
    );
  });
});
