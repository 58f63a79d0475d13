import { userInfo } from 'node:os';
import type { ExecutionHistory } from '../../operator-api/model';
import { DEMO_PLAN, operatedRehearsal, type OperatedRehearsal } from '../support/operated-rehearsal';
import { EXAMPLES_DIR } from '../support/plans';
import { join } from 'node:path';

jest.setTimeout(180_000);

const me = `local:${userInfo().username}`;

describe('the operator verbs against a live rehearsal', () => {
  let rehearsal: OperatedRehearsal | undefined;
  afterEach(async () => {
    await rehearsal?.close();
    rehearsal = undefined;
  });

  it('continues after a paused health failure, then rolls back: blue 100 %, decisions name the principal and reason', async () => {
    rehearsal = await operatedRehearsal(['green-unhealthy']);
    const execution = await rehearsal.execution();

    const list = await rehearsal.cli('list');
    expect(list.stdout).toMatch(new RegExp(`^${execution} +orders-to-rds +running`, 'm'));
    const again = await rehearsal.cli('start', DEMO_PLAN, '-o', 'json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ execution, existing: true });
    const other = await rehearsal.cli('start', join(EXAMPLES_DIR, 'app-canary.yaml'));
    expect(other.code).toBe(4);
    expect(other.stderr).toMatch(/^error: this rehearsal runs plan orders-to-rds/);
    expect((await rehearsal.cli('status', 'no-such-execution')).code).toBe(3);

    const paused = await rehearsal.statusUntil((s) => s.pending?.kind === 'decision');
    expect(paused.health).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('HealthCheckFailed'),
    });
    expect(Date.parse(paused.pending!.deadline!)).toBeGreaterThan(Date.parse(paused.pending!.since));
    const text = await rehearsal.cli('status', execution);
    expect(text.stdout).toContain('waiting for decision until');
    expect(text.stdout).toContain(`cutover continue|rollback ${execution} --reason`);

    const wrong = await rehearsal.cli('approve', execution, '--reason', 'looks fine');
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('is not waiting for approval (it waits for decision): nothing to approve');
    expect((await rehearsal.cli('continue', execution)).code).toBe(2);

    const resumed = await rehearsal.cli('continue', execution, '--reason', 'a blip, try the next step');
    expect(resumed).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`continue: answered decision (by ${me})`),
    });

    await rehearsal.statusUntil(
      (s) => s.pending?.kind === 'decision' && s.step !== null && s.step.index >= 2,
    );
    const rollback = await rehearsal.cli(
      'rollback',
      execution,
      '--reason',
      'green returns 500',
      '-o',
      'json',
    );
    expect(rollback.code).toBe(0);
    expect(JSON.parse(rollback.stdout)).toMatchObject({
      action: 'rollback',
      principal: me,
      result: 'rolling back now',
    });

    const watch = await rehearsal.cli('watch', execution, '--interval', '0.2');
    expect(watch.code).toBe(1);
    expect(watch.stdout).toMatch(/rolled_back .*blue 100 % \/ green 0 %/);

    const { report } = await rehearsal.outcome;
    expect(report.outcome).toBe('rolled_back');
    expect(report.finalWeights).toEqual({ blue: 100, green: 0 });
    expect(report.rollback?.reason).toContain('rollback requested by');

    const history = JSON.parse(
      (await rehearsal.cli('history', execution, '-o', 'json')).stdout,
    ) as ExecutionHistory;
    expect(history.decisions.map((d) => [d.action, d.principal, d.reason])).toEqual([
      ['continue', me, 'a blip, try the next step'],
      ['rollback', me, 'green returns 500'],
    ]);
    expect(history.phases.map((p) => p.name)).toEqual(
      expect.arrayContaining(['validate', 'shift-1', 'rollback']),
    );
    const historyText = await rehearsal.cli('history', execution);
    expect(historyText.stdout).toContain(`rollback by ${me}: green returns 500 → rolling back now`);
    expect((await rehearsal.cli('rollback', execution, '--reason', 'again')).code).toBe(4);
  });

  it('refuses the database switchover: the cutover rolls back', async () => {
    rehearsal = await operatedRehearsal();
    const execution = await rehearsal.execution();
    const gate = await rehearsal.statusUntil((s) => s.pending?.kind === 'approval');
    expect(gate.pending?.answers).toEqual(['approve', 'refuse']);
    expect(gate.weights).toEqual({ blue: 0, green: 100 });
    const refused = await rehearsal.cli('refuse', execution, '--reason', 'not during peak hours');
    expect(refused.code).toBe(0);
    expect((await rehearsal.cli('watch', execution, '--interval', '0.2', '-o', 'json')).code).toBe(1);
    const { report } = await rehearsal.outcome;
    expect(report.outcome).toBe('rolled_back');
    expect(report.rollback?.reason).toContain('ApprovalRefused');
  });
});
