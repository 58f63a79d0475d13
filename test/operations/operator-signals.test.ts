import { LocalTaskCallbacks } from '../../adapters/local/local-task-callbacks';
import { MemoryControlSignals } from '../../adapters/local/memory-control-signals';
import { ErrorNames } from '../../domain/errors';
import { answerWait } from '../../operations/answer-wait';
import { requestRollback } from '../../operations/request-rollback';

function setUp() {
  const ports = { control: new MemoryControlSignals(), callbacks: new LocalTaskCallbacks() };
  return ports;
}

async function park(ports: ReturnType<typeof setUp>, kind: 'bake' | 'decision' | 'approval' | 'operator') {
  const { token, answer } = ports.callbacks.issue();
  await ports.control.setPending('exec-1', {
    kind,
    taskToken: token,
    since: '2026-11-26T00:00:00Z',
    detail: {},
  });
  return { answer };
}

describe('operator signals', () => {
  it('fails a pending bake with OperatorRollback at once, naming the actor', async () => {
    const ports = setUp();
    const { answer } = await park(ports, 'bake');
    expect(await requestRollback(ports, { execution: 'exec-1', actor: 'alice', reason: '5xx spike' })).toBe(
      'now',
    );
    await expect(answer).rejects.toMatchObject({
      name: ErrorNames.OperatorRollback,
      message: 'rollback requested by alice: 5xx spike',
    });
    expect((await ports.control.get('exec-1')).pending).toBeUndefined();
  });

  it('records the request for the next check when nothing is waiting, and keeps the first request', async () => {
    const ports = setUp();
    expect(await requestRollback(ports, { execution: 'exec-1', actor: 'alice', reason: 'first' })).toBe(
      'next-check',
    );
    await requestRollback(ports, { execution: 'exec-1', actor: 'bob', reason: 'second' });
    expect((await ports.control.get('exec-1')).rollback).toMatchObject({ actor: 'alice', reason: 'first' });
  });

  it('answers the point-of-no-return question with "restore"', async () => {
    const ports = setUp();
    const { answer } = await park(ports, 'operator');
    expect(
      await requestRollback(ports, { execution: 'exec-1', actor: 'alice', reason: 'data looks wrong' }),
    ).toBe('restore');
    expect(await await answer).toMatchObject({ choice: 'restore', actor: 'alice' });
  });

  it.each(['execution', 'actor', 'reason'] as const)('fails when %s is empty', async (field) => {
    const input = { execution: 'exec-1', actor: 'alice', reason: 'why', [field]: ' ' };
    await expect(requestRollback(setUp(), input)).rejects.toThrow(`${field}: must not be empty`);
  });

  it('approves a pending approval', async () => {
    const ports = setUp();
    const { answer } = await park(ports, 'approval');
    await answerWait(ports, { execution: 'exec-1', actor: 'carol', answer: 'approve' });
    expect(await await answer).toEqual({ answer: 'approval', decision: 'approve', actor: 'carol' });
  });

  it('refuses a pending approval with ApprovalRefused', async () => {
    const ports = setUp();
    const { answer } = await park(ports, 'approval');
    await answerWait(ports, { execution: 'exec-1', actor: 'carol', answer: 'refuse' });
    await expect(answer).rejects.toMatchObject({ name: ErrorNames.ApprovalRefused });
  });

  it('fails when the answer does not fit the question', async () => {
    const ports = setUp();
    await park(ports, 'approval');
    await expect(
      answerWait(ports, { execution: 'exec-1', actor: 'carol', answer: 'roll-forward' }),
    ).rejects.toMatchObject({
      name: 'OperatorConflict',
      message:
        'execution exec-1 is not waiting for operator (it waits for approval): nothing to roll-forward',
    });
  });

  it('fails when nothing waits for an operator', async () => {
    await expect(
      answerWait(setUp(), { execution: 'exec-1', actor: 'carol', answer: 'approve' }),
    ).rejects.toMatchObject({
      name: 'OperatorConflict',
      message:
        'execution exec-1 is not waiting for approval (nothing waits for an operator): nothing to approve',
    });
  });

  it('fails when only a bake waits (the health watcher answers it), naming the execution as told', async () => {
    const ports = setUp();
    await park(ports, 'bake');
    await expect(
      answerWait(ports, { execution: 'exec-1', name: 'orders-1', actor: 'carol', answer: 'continue' }),
    ).rejects.toMatchObject({
      name: 'OperatorConflict',
      message:
        'execution orders-1 is not waiting for decision (nothing waits for an operator): nothing to continue',
    });
  });
});
