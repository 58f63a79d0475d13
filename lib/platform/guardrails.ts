import { Stack, Token, type IAspect } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { IConstruct } from 'constructs';
import type { GuardrailLimits } from './environments';

interface Measured {
  readonly what: string;
  readonly value: unknown;
}

/**
 * Per-environment limits checked at synth: a fat-fingered size ("1000 GB instead of 100") fails the
 * synth, naming the construct path, the value and the limit, before anything is created.
 */
export class Guardrails implements IAspect {
  constructor(
    private readonly environment: string,
    private readonly limits: GuardrailLimits,
  ) {}

  visit(node: IConstruct): void {
    for (const problem of this.problems(node)) {
      node.node.addValidation({ validate: () => [`guardrail (${this.environment}): ${problem}`] });
    }
  }

  private problems(node: IConstruct): string[] {
    const { limits } = this;
    if (node instanceof rds.CfnDBInstance) {
      return [
        ...this.atMost(
          node,
          { what: 'AllocatedStorage (GB)', value: node.allocatedStorage },
          limits.maxStorageGb,
        ),
        ...this.oneOf(node, { what: 'DBInstanceClass', value: node.dbInstanceClass }, limits.instanceClasses),
      ];
    }
    if (node instanceof ec2.CfnVolume) {
      return this.atMost(node, { what: 'volume Size (GB)', value: node.size }, limits.maxStorageGb);
    }
    if (node instanceof ecs.CfnTaskDefinition) {
      return [
        ...this.atMost(node, { what: 'task Cpu (units)', value: node.cpu }, limits.maxTaskCpu),
        ...this.atMost(node, { what: 'task Memory (MiB)', value: node.memory }, limits.maxTaskMemoryMiB),
      ];
    }
    if (node instanceof ecs.CfnService) {
      return this.atMost(node, { what: 'DesiredCount', value: node.desiredCount }, limits.maxDesiredCount);
    }
    if (node instanceof autoscaling.CfnScalableTarget) {
      // Autoscaling can raise the desired count up to MaxCapacity, so the ceiling is held to the same limit.
      return this.atMost(
        node,
        { what: 'autoscaling MaxCapacity', value: node.maxCapacity },
        limits.maxDesiredCount,
      );
    }
    if (node instanceof logs.CfnLogGroup) {
      const { min, max } = limits.logRetentionDays;
      const days = this.number(node, node.retentionInDays);
      if (days === undefined) return [`log RetentionInDays is never-expire; the limit is ${min}–${max} days`];
      if (typeof days === 'string') return [days];
      if (days < min || days > max)
        return [`log RetentionInDays is ${days}; the limit is ${min}–${max} days`];
    }
    return [];
  }

  private atMost(node: IConstruct, measured: Measured, limit: number): string[] {
    const value = this.number(node, measured.value);
    if (typeof value === 'string') return [`${measured.what} ${value}`];
    if (value === undefined || value <= limit) return [];
    return [`${measured.what} is ${value}, over the limit of ${limit}`];
  }

  private oneOf(node: IConstruct, measured: Measured, allowed: readonly string[]): string[] {
    const value = Stack.of(node).resolve(measured.value) as unknown;
    if (typeof value !== 'string')
      return [`${measured.what} is not known at synth; the limit needs a literal value`];
    return allowed.includes(value)
      ? []
      : [`${measured.what} is ${value}, not one of the allowed ${allowed.join(', ')}`];
  }

  /** The number a property resolves to, undefined when unset, or why it cannot be checked. */
  private number(node: IConstruct, raw: unknown): number | undefined | string {
    if (raw === undefined) return undefined;
    const value = Token.isUnresolved(raw) ? (Stack.of(node).resolve(raw) as unknown) : raw;
    const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    return typeof parsed === 'number' ? parsed : 'is not known at synth; the limit needs a literal value';
  }
}
