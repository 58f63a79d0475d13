import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AllowedZone } from './allowed-records';
import { ControlTable } from './control-table';
import { EventsTopic } from './events-topic';

export interface OrchestratorStackProps extends StackProps {
  /** The hosted zones and record names this orchestrator may change. */
  readonly allowedZones: readonly AllowedZone[];
}

/** The cutover orchestrator: the control table, the events topic and (next) the workflow. */
export class OrchestratorStack extends Stack {
  readonly controlTable: ControlTable;
  readonly eventsTopic: EventsTopic;

  constructor(scope: Construct, id: string, props: OrchestratorStackProps) {
    super(scope, id, props);
    this.controlTable = new ControlTable(this, 'Control');
    this.eventsTopic = new EventsTopic(this, 'Events');
  }
}
