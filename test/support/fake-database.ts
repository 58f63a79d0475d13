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
  private lagReads = 0;

  ports(): DatabasePorts {
    return {
      monitor: { lag: async () => this.lag({ frozen: this.frozen, reads: this.lagReads++ }) },
      freeze: {
        freeze: async () => {
          this.frozen = true;
          return { untouchedSessions: [] };
        },
        unfreeze: async () => void (this.frozen = false),
      },
      verifier: {
        syncSequences: async () => {
          this.sequencesSynced += 1;
          return [{ sequence: 'orders_id_seq', value: 42 }];
        },
        verify: async (tables): Promise<VerificationReport> => ({
          tables: tables.map((table) => ({
            table,
            sourceRows: 100,
            targetRows: 100,
            chunks: 1,
            mismatchedChunks: this.mismatchedChunks,
          })),
          rowsCompared: 100 * tables.length,
          mismatches: this.mismatchedChunks.length,
        }),
      },
      switch: {
        switchOver: async () => {
          this.switchAttempts += 1;
          if (this.switchAttempts <= this.failingSwitches) {
            throw new CutoverError(ErrorNames.SwitchoverFailed, 'the subscription could not be disabled');
          }
          this.switched = true;
        },
      },
      close: async () => undefined,
    };
  }
}
