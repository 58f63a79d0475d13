import { DisableRuleCommand, EnableRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EventBridgeWatcherSchedule } from '../../../adapters/aws/eventbridge-watcher-schedule';

const events = mockClient(EventBridgeClient);
const schedule = new EventBridgeWatcherSchedule(
  new EventBridgeClient({}),
  'CutoverOrchestrator-health-watcher',
);

beforeEach(() => events.reset());

it('enables and disables the watcher rule by name', async () => {
  events.on(EnableRuleCommand).resolves({});
  events.on(DisableRuleCommand).resolves({});

  await schedule.start();
  await schedule.stop();

  expect(events).toReceiveCommandWith(EnableRuleCommand, { Name: 'CutoverOrchestrator-health-watcher' });
  expect(events).toReceiveCommandWith(DisableRuleCommand, { Name: 'CutoverOrchestrator-health-watcher' });
});

it('fails as Throttled when EventBridge throttles, so the step is retried', async () => {
  events
    .on(EnableRuleCommand)
    .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

  await expect(schedule.start()).rejects.toMatchObject({ name: 'Throttled' });
});
