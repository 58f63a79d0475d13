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
  const stack = await resolveStack(options, cloudFormation);
  const apiUrl = stack.output(STACK_OUTPUTS.apiUrl);
  const region = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(apiUrl)?.[1] ?? stack.region;
  return endpoint(new OperatorClient(apiUrl, { region, credentials: stack.credentials }));
}

/** The deployed orchestrator stack as the CLI sees it: its outputs, region and the caller's credentials. */
export interface DeployedStack {
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** An output's value; OperatorSetupError (redeploy) when this stack version lacks it. */
  output(key: string): string;
}

/** Finds the orchestrator stack (--stack, default CutoverOrchestrator) with DescribeStacks and the default credential chain. */
export async function resolveStack(
  options: Pick<EndpointOptions, 'stack' | 'region'>,
  cloudFormation?: CloudFormationClient,
  /** What else the caller can do without AWS, ending each error line. */
  otherwise = 'pass --endpoint for a rehearsal',
): Promise<DeployedStack> {
  const stack = options.stack ?? DEFAULT_STACK;
  const credentials = guardedCredentials(defaultProvider(), otherwise);
  const client =
    cloudFormation ??
    new CloudFormationClient({ credentials, ...(options.region ? { region: options.region } : {}) });
  const outputs = await stackOutputs(client, stack, otherwise);
  return {
    region: await client.config.region(),
    credentials,
    output(key) {
      const value = outputs[key];
      if (!value) {
        throw new OperatorSetupError(
          `stack ${stack} has no ${key} output: deploy this version with npx cdk deploy ${stack}`,
        );
      }
      return value;
    },
  };
}

function endpoint(client: OperatorClient): OperatorEndpoint {
  return {
    client,
    consoleLink: (execution) =>
      new URL(`/console/execution?name=${encodeURIComponent(execution)}`, client.baseUrl).href,
  };
}

async function stackOutputs(
  client: CloudFormationClient,
  stack: string,
  otherwise: string,
): Promise<Record<string, string>> {
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
        `stack ${stack} is not deployed in ${region}: deploy it with npx cdk deploy ${stack}, or pass --stack/--region (or ${otherwise})`,
      );
    }
    if (
      name === 'CredentialsProviderError' ||
      name === 'ExpiredTokenException' ||
      name === 'UnrecognizedClientException'
    ) {
      throw new OperatorSetupError(
        `no usable AWS credentials (${(error as Error).message.split('\n')[0]}): sign in (aws sso login, AWS_PROFILE) or ${otherwise}`,
      );
    }
    throw error;
  }
}

/** Turns the provider chain's long failure into one line that says what to do. */
function guardedCredentials(
  provider: AwsCredentialIdentityProvider,
  otherwise: string,
): AwsCredentialIdentityProvider {
  return async (...args) => {
    try {
      return await provider(...args);
    } catch {
      throw new OperatorSetupError(
        `no AWS credentials found: sign in (aws sso login, or set AWS_PROFILE) with a role that has the stack’s OperatorPolicy, or ${otherwise}`,
      );
    }
  };
}
