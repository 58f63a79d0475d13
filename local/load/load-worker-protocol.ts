import type { LatencySummary, LiveLoad, LoadResult } from './load-types';
import type { LoadOptions } from './run-load';

export interface WorkerInput {
  readonly load: Omit<LoadOptions, 'pick' | 'signal' | 'random'>;
  readonly clients: number;
  readonly ttlMs: number;
}

export type WorkerCommand =
  | { readonly type: 'weights'; readonly greenPercent: number }
  | { readonly type: 'stop' }
  | { readonly type: 'latency'; readonly id: number; readonly fromMs: number; readonly toMs: number };

export type WorkerEvent =
  | { readonly type: 'started'; readonly startedAt: number }
  | { readonly type: 'live'; readonly live: LiveLoad }
  | { readonly type: 'result'; readonly result: LoadResult }
  | { readonly type: 'latency'; readonly id: number; readonly summary: LatencySummary };
