import { setTimeout as sleep } from 'node:timers/promises';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { ReplicationLag, VerificationReport } from '../../ports/database';
import type { DatabasePorts } from '../../workflow/ports';

/** A database pair whose behaviour a scenario scripts: lag, verification, switch failures. */
export class FakeDatabase {
  frozen = false;
  switched = false;
  sequencesSynced = 0;
  switchAttempts = 0;
  /** The lag reported, given whether blue's writes are frozen and how many readings came before. */
  lag: (state: { frozen: boolean; reads: number }) => ReplicationLag = () => ({
    amount: 0,
    unit: 'bytes',
    streaming: true,
  });
  mismatchedChunks: string[] = [];
  /** How many switch attempts fail before one succeeds. */
  failingSwitches = 0;
  /** How many calls report the switch still under way before it is done (a slow promotion). */
  switchingPolls = 0;
  /** The poll at which a switch under way fails (e.g. the instance breaks during promotion). */
  failAtPoll?: number;
  private switchPolls = 0;
  /** How many unfreeze calls fail before one succeeds. */
  failingUnfreezes = 0;
  /** How long a verification takes (it stops early when its signal is aborted). */
  verifyMs = 0;
  /** Set when a verification ran to its end. */
  verificationFinished = false;
  private lagReads = 0;

  ports(): DatabasePorts {
    return {
      monitor: { lag: async () => this.lag({ frozen: this.frozen, reads: this.lagReads++ }) },
      freeze: {
        freeze: async () => {
          this.frozen = true;
          return { untouchedSessions: [] };
        },
        unfreeze: async () => {
          if (this.failingUnfreezes > 0) {
            this.failingUnfreezes -= 1;
            throw new Error('connection to blue refused');
          }
          this.frozen = false;
        },
      },
      verifier: {
        syncSequences: async () => {
          this.sequencesSynced += 1;
          return [{ sequence: 'orders_id_seq', value: 42 }];
        },
        verify: async (tables, _chunkSize, signal): Promise<VerificationReport> => {
          await sleep(this.verifyMs, undefined, signal ? { signal } : {});
          this.verificationFinished = true;
          return this.report(tables);
        },
      },
      switch: {
        switchOver: async (previous) => {
          if (previous === undefined) this.switchAttempts += 1;
          if (this.switchAttempts <= this.failingSwitches) {
            throw new CutoverError(ErrorNames.SwitchoverFailed, 'the subscription could not be disabled');
          }
          this.switchPolls += 1;
          if (this.switchPolls === this.failAtPoll) {
            throw new CutoverError(
              ErrorNames.SwitchoverFailed,
              'DB instance green is failed; it cannot be promoted',
            );
          }
          if (this.switchPolls <= this.switchingPolls) return { done: false, status: 'switching' };
          this.switched = true;
          return { done: true, status: 'switched' };
        },
      },
      close: async () => undefined,
    };
  }

  private report(tables: readonly string[]): VerificationReport {
    return {
      tables: tables.map((table) => ({
        table,
        sourceRows: 100,
        targetRows: 100,
        chunks: 1,
        mismatchedChunks: this.mismatchedChunks,
      })),
      rowsCompared: 100 * tables.length,
      mismatches: this.mismatchedChunks.length,
    };
  }
}
