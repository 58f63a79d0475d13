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
