export interface CutoverEvent {
  readonly plan: string;
  readonly execution: string;
  readonly phase: string;
  readonly outcome: 'started' | 'progress' | 'completed' | 'rolled_back' | 'failed' | 'waiting_for_operator';
  readonly message: string;
  /** The plan's own topic (`notifications.snsTopicArn`), told as well as the orchestrator's. */
  readonly planTopicArn?: string;
}

export interface Notifier {
  notify(event: CutoverEvent, signal?: AbortSignal): Promise<void>;
}
