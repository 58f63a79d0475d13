import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { InputError } from '../domain/errors';
import { STACK_OUTPUTS } from '../lib/stack-outputs';
import { OperatorClient } from './operator-client';

/** The orchestrator stack the CLI operates when given no --stack. */
export const DEFAULT_STACK = 'CutoverOrchestrator';
/** A running rehearsal prints this variable's value (its operator API): the CLI then talks to it. */
export const ENDPOINT_VARIABLE = 'CUTOVER_ENDPOINT';

export interface EndpointOptions {
  readonly endpoint?: string;
  readonly stack?: string;
  readonly region?: string;
}

/** Where the CLI could not reach an operator API: no credentials, or the stack is not deployed. */
export class OperatorSetupError extends Error {
  override readonly name = 'OperatorSetupError';
}

export interface OperatorEndpoint {
  readonly client: OperatorClient;
  /** The console page of an execution. */
  consoleLink(execution: string): string;
}

/**
 * A rehearsal's endpoint (--endpoint or $CUTOVER_ENDPOINT, unsigned), or the API of the deployed stack,
 * found by its name with CloudFormation DescribeStacks and called with SigV4 (the default credential chain).
 */
export async function resolveEndpoint(
  options: EndpointOptions,
  env: NodeJS.ProcessEnv = process.env,
  cloudFormation?: CloudFormationClient,
): Promise<OperatorEndpoint> {
  const local = options.endpoint ?? env[ENDPOINT_VARIABLE];
  if (local) {
    let url: URL;
    try {
      url = new URL(local);
    } catch {
      throw new InputError(
        `--endpoint: ${JSON.stringify(local)} is not a URL; expected e.g. http://127.0.0.1:8080`,
      );
    }
    return endpoint(new OperatorClient(url.origin));
  }
  const stack = options.stack ?? DEFAULT_STACK;
  const credentials = guardedCredentials(defaultProvider());
  const client =
    cloudFormation ??
    new CloudFormationClient({ credentials, ...(options.region ? { region: options.region } : {}) });
  const outputs = await stackOutputs(client, stack);
  const apiUrl = outputs[STACK_OUTPUTS.apiUrl];
  if (!apiUrl) {
    throw new OperatorSetupError(
      `stack ${stack} has no ${STACK_OUTPUTS.apiUrl} output: deploy this version with npx cdk deploy ${stack}`,
    );
  }
  const region =
    /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(apiUrl)?.[1] ?? (await client.config.region());
  return endpoint(new OperatorClient(apiUrl, { region, credentials }));
}

function endpoint(client: OperatorClient): OperatorEndpoint {
  return {
    client,
    consoleLink: (execution) =>
      new URL(`/console/execution?name=${encodeURIComponent(execution)}`, client.baseUrl).href,
  };
}

async function stackOutputs(client: CloudFormationClient, stack: string): Promise<Record<string, string>> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stack }));
    return Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  } catch (error) {
    if (error instanceof OperatorSetupError) throw error;
    const name = (error as Error).name;
    if (name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      const region = await client.config.region().catch(() => 'this region');
      throw new OperatorSetupError(
        `stack ${stack} is not deployed in ${region}: deploy it with npx cdk deploy ${stack}, or pass --stack/--region (or --endpoint for a rehearsal)`,
      );
    }
    if (
      name === 'CredentialsProviderError' ||
      name === 'ExpiredTokenException' ||
      name === 'UnrecognizedClientException'
    ) {
      throw new OperatorSetupError(
        `no usable AWS credentials (${(error as Error).message.split('\n')[0]}): sign in (aws sso login, AWS_PROFILE) or pass --endpoint for a rehearsal`,
      );
    }
    throw error;
  }
}

/** Turns the provider chain's long failure into one line that says what to do. */
function guardedCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return async (...args) => {
    try {
      return await provider(...args);
    } catch {
      throw new OperatorSetupError(
        'no AWS credentials found: sign in (aws sso login, or set AWS_PROFILE) with a role that has the stack’s OperatorPolicy, or pass --endpoint for a rehearsal',
      );
    }
  };
}
