import { setTimeout as sleep } from 'node:timers/promises';
import { CutoverError, ErrorNames } from '../../domain/errors';
import type { ReplicationLag } from '../../ports/database';
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
  /** What the re-check inside the freeze finds different. */
  differences: string[] = [];
  /** How many ranges each pass invocation finds different. */
  differingRanges = 0;
  /** How many changed rows each drain of the change stream finds different. */
  differingRows = 0;
  /** How many drains end before reaching the position they began at (green behind blue). */
  drainsBehind = 0;
  /** How many drains of the change stream ran before the freeze. */
  drains = 0;
  /** Verification slots dropped (by the re-check, the rollback, preflight or finalize), in order. */
  readonly droppedSlots: string[] = [];
  /** Verification slots the source holds (the pass creates its own). */
  readonly slots = new Set<string>();
  /** How many invocations the verification pass before the freeze takes. */
  passInvocations = 1;
  /** Each pass invocation's request, in order. */
  readonly passRequests: { cursor: unknown; chunkSize: number; budgetMs: number }[] = [];
  /** How many switch attempts fail before one succeeds. */
  failingSwitches = 0;
  /** How many calls report the switch still under way before it is done (a slow promotion). */
  switchingPolls = 0;
  /** The poll at which a switch under way fails (e.g. the instance breaks during promotion). */
  failAtPoll?: number;
  private switchPolls = 0;
  /** How many unfreeze calls fail before one succeeds. */
  failingUnfreezes = 0;
  /** How long the re-check inside the freeze takes (it stops early when its signal is aborted). */
  verifyMs = 0;
  /** Set when a re-check ran to its end. */
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
        startPass: async ({ slot }) => {
          this.slots.add(slot);
          return { lsn: '0/100', since: '1000', wholeTables: [] };
        },
        drainChanges: async () => ({
          drainedTo: `0/${++this.drains}00`,
          caughtUp: this.drainsBehind-- <= 0,
          rows: 10,
          differing: Array.from({ length: this.differingRows }, (_, i) => ({
            table: 'orders',
            key: [String(i)],
          })),
          wholeTables: [],
        }),
        compareChunks: async ({ cursor, chunkSize, budgetMs }) => {
          this.passRequests.push({ cursor, chunkSize, budgetMs });
          const done = this.passRequests.length >= this.passInvocations;
          const next = done ? null : { table: 'orders', after: [String(this.passRequests.length * 100)] };
          const differing = Array.from({ length: this.differingRanges }, (_, i) => ({
            table: 'orders',
            after: [String(i * 100)],
            upTo: [String(i * 100 + 100)],
          }));
          return { cursor: next, chunkSize, chunks: 1, rows: 100, differing };
        },
        recheck: async ({ tables, slot }, signal) => {
          await sleep(this.verifyMs, undefined, signal ? { signal } : {});
          this.verificationFinished = true;
          if (this.slots.delete(slot)) this.droppedSlots.push(slot);
          return tables.map((table, index) => ({
            table,
            changedRows: 0,
            wholeTable: null,
            differences: index === 0 ? this.differences : [],
          }));
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
      verificationSlots: {
        dropSlot: async (slot) => {
          if (!this.slots.delete(slot)) return 'absent';
          this.droppedSlots.push(slot);
          return 'dropped';
        },
        dropLeftoverSlots: async ({ except }) => {
          const leftovers = [...this.slots].filter((slot) => slot !== except);
          for (const slot of leftovers) this.slots.delete(slot);
          this.droppedSlots.push(...leftovers);
          return leftovers;
        },
      },
      close: async () => undefined,
    };
  }
}
