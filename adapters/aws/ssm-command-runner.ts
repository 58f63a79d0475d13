import { paginateListCommandInvocations, SendCommandCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { CommandRequest, CommandRunner, Invocation } from '../../ports/command-runner';
import { rethrowAwsError } from './aws-errors';
import { withSignal } from './send-options';

/** SSM Run Command: one SendCommand per batch, its invocations listed with each step's output. */
export class SsmCommandRunner implements CommandRunner {
  constructor(
    private readonly client: SSMClient,
    /** Where each invocation's full output goes (the invocation listing keeps 2,500 characters). */
    private readonly outputLogGroup?: string,
  ) {}

  async send(request: CommandRequest, signal?: AbortSignal): Promise<string> {
    const response = await this.client
      .send(
        new SendCommandCommand({
          DocumentName: request.documentName,
          InstanceIds: [...request.targets],
          Parameters: { dryRun: [String(request.dryRun)] },
          TimeoutSeconds: request.deliveryTimeoutSeconds,
          Comment: request.comment.slice(0, 100),
          // The workflow paces the batches; within one, every target runs and every error counts.
          MaxConcurrency: String(request.targets.length),
          MaxErrors: String(request.targets.length),
          ...(this.outputLogGroup
            ? {
                CloudWatchOutputConfig: {
                  CloudWatchLogGroupName: this.outputLogGroup,
                  CloudWatchOutputEnabled: true,
                },
              }
            : {}),
        }),
        withSignal(signal),
      )
      .catch(rethrowAwsError);
    const commandId = response.Command?.CommandId;
    if (!commandId) throw new Error(`SendCommand of ${request.documentName} returned no command id`);
    return commandId;
  }

  async invocations(commandId: string, signal?: AbortSignal): Promise<Invocation[]> {
    const found: Invocation[] = [];
    try {
      const pages = paginateListCommandInvocations(
        { client: this.client, ...withSignal(signal) },
        { CommandId: commandId, Details: true },
      );
      for await (const page of pages) {
        for (const invocation of page.CommandInvocations ?? []) {
          if (!invocation.InstanceId) continue;
          found.push({
            target: invocation.InstanceId,
            status: invocation.Status ?? 'Pending',
            outputs: (invocation.CommandPlugins ?? []).map((plugin) => plugin.Output ?? ''),
          });
        }
      }
    } catch (error) {
      // Right after SendCommand the invocations may not be listed yet: the targets count as pending.
      if ((error as Error).name === 'InvocationDoesNotExist') return [];
      rethrowAwsError(error);
    }
    return found;
  }
}
