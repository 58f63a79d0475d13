import fc from 'fast-check';
import {
  combineOutcomes,
  judgeRound,
  NO_ROUNDS,
  type BakeCounters,
  type ProbeOutcome,
} from '../../domain/health/verdict';

const policy = { failureThreshold: 3, inconclusiveLimit: 2 };

function judgeAll(outcomes: ProbeOutcome[], bakeOverFrom = Infinity) {
  let counters: BakeCounters = NO_ROUNDS;
  const verdicts: string[] = [];
  outcomes.forEach((outcome, i) => {
    const judged = judgeRound(counters, outcome, policy, i >= bakeOverFrom);
    counters = judged.counters;
    verdicts.push(judged.verdict.kind);
  });
  return verdicts;
}

describe('health verdicts', () => {
  it.each([
    [['healthy', 'healthy'], 'healthy'],
    [['healthy', 'inconclusive'], 'inconclusive'],
    [['inconclusive', 'unhealthy'], 'unhealthy'],
    [[], 'inconclusive'],
  ] as [ProbeOutcome[], ProbeOutcome][])('a round of %j is %s', (outcomes, round) => {
    expect(combineOutcomes(outcomes)).toBe(round);
  });

  it.each([
    [['unhealthy', 'unhealthy', 'unhealthy'], 0, ['continue', 'continue', 'failed']],
    [['unhealthy', 'unhealthy', 'healthy', 'unhealthy'], 9, ['continue', 'continue', 'continue', 'continue']],
    [['inconclusive', 'inconclusive'], 0, ['continue', 'inconclusive']],
    [['inconclusive', 'healthy'], 0, ['continue', 'promote']],
    [['healthy', 'healthy', 'healthy'], 2, ['continue', 'continue', 'promote']],
  ] as [ProbeOutcome[], number, string[]][])(
    'judges %j, the bake over from round %d, as %j',
    (outcomes, bakeOverFrom, verdicts) => {
      expect(judgeAll(outcomes, bakeOverFrom)).toEqual(verdicts);
    },
  );

  it('never promotes on an inconclusive round, and promotes only on a healthy one after the bake', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<ProbeOutcome>('healthy', 'unhealthy', 'inconclusive'), { maxLength: 30 }),
        fc.nat(30),
        (outcomes, bakeOverFrom) => {
          const verdicts = judgeAll(outcomes, bakeOverFrom);
          verdicts.forEach((verdict, i) => {
            if (verdict === 'promote') expect([outcomes[i], i >= bakeOverFrom]).toEqual(['healthy', true]);
          });
        },
      ),
    );
  });

  it('fails exactly when the threshold of consecutive unhealthy rounds is reached', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<ProbeOutcome>('healthy', 'unhealthy'), { maxLength: 30 }),
        (outcomes) => {
          const verdicts = judgeAll(outcomes);
          verdicts.forEach((verdict, i) => {
            const run = outcomes
              .slice(0, i + 1)
              .reverse()
              .findIndex((o) => o !== 'unhealthy');
            const consecutive = run < 0 ? i + 1 : run;
            expect(verdict === 'failed').toBe(consecutive >= policy.failureThreshold);
          });
        },
      ),
    );
  });
});
