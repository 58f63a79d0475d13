import type { Ports } from '../../workflow/ports';
import { deferred } from './deferred';

export const callbacks = (): Ports['callbacks'] =>
  deferred(async () => {
    const [{ SFNClient }, { SfnTaskCallbacks }] = await Promise.all([
      import('@aws-sdk/client-sfn'),
      import('../../adapters/aws/sfn-task-callbacks.js'),
    ]);
    return new SfnTaskCallbacks(new SFNClient({}));
  });
