import type { DatabaseSwitch, SwitchProgress, WriteFreeze } from '../../ports/database';

/**
 * A physical replica replays everything its source writes, the write freeze included (a database
 * setting, `default_transaction_read_only`), so once promoted it would refuse the application's writes.
 * This switch lifts that inherited freeze on the replica as soon as the promotion it wraps is done, before
 * the workflow points the endpoint at it.
 */
export class PromotionOpeningWrites implements DatabaseSwitch {
  constructor(
    private readonly promotion: DatabaseSwitch,
    private readonly replica: WriteFreeze,
  ) {}

  async switchOver(previous: SwitchProgress | undefined, signal?: AbortSignal): Promise<SwitchProgress> {
    const progress = await this.promotion.switchOver(previous, signal);
    if (progress.done) await this.replica.unfreeze(signal);
    return progress;
  }
}
