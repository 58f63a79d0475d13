import type {
  ControlSignals,
  ExecutionControl,
  PendingKind,
  PendingWait,
  RollbackRequest,
} from '../../ports/control-signals';

/** Control records in memory: the local stand-in for the DynamoDB control table. */
export class MemoryControlSignals implements ControlSignals {
  private readonly records = new Map<string, ExecutionControl>();
  private lease: { owner: string; until: Date } | undefined;

  async get(execution: string): Promise<ExecutionControl> {
    return this.records.get(execution) ?? { execution };
  }

  async requestRollback(execution: string, request: RollbackRequest): Promise<ExecutionControl> {
    const current = await this.get(execution);
    if (current.rollback) return current;
    return this.put({ ...current, rollback: request });
  }

  async setPending(execution: string, pending: PendingWait): Promise<void> {
    this.put({ ...(await this.get(execution)), pending: JSON.parse(JSON.stringify(pending)) as PendingWait });
  }

  async updatePending(
    execution: string,
    taskToken: string,
    detail: Record<string, unknown>,
  ): Promise<boolean> {
    const current = await this.get(execution);
    if (current.pending?.taskToken !== taskToken) return false;
    this.put({
      ...current,
      pending: { ...current.pending, detail: JSON.parse(JSON.stringify(detail)) as Record<string, unknown> },
    });
    return true;
  }

  async claimWatcher(owner: string, now: Date, until: Date): Promise<boolean> {
    if (this.lease && this.lease.owner !== owner && this.lease.until > now) return false;
    this.lease = { owner, until };
    return true;
  }

  async releaseWatcher(owner: string): Promise<void> {
    if (this.lease?.owner === owner) this.lease = undefined;
  }

  async clearPending(execution: string, taskToken: string): Promise<void> {
    const { pending, ...rest } = await this.get(execution);
    if (pending?.taskToken === taskToken) this.put(rest);
  }

  async listPending(kind: PendingKind): Promise<ExecutionControl[]> {
    return [...this.records.values()].filter((record) => record.pending?.kind === kind);
  }

  private put(record: ExecutionControl): ExecutionControl {
    this.records.set(record.execution, record);
    return record;
  }
}
