import type { Database, Deploy, Plan, Probe } from '../plan/schema';
import { planDigest } from './plan-digest';

/**
 * The digest a plan is promoted by, from one environment to the next: the digest of what the plan
 * changes and how (the plan name, the image or template, the parameters, the traffic steps, the bakes,
 * the health policy, the database procedure and its limits, the approvals), leaving out where it runs
 * (record names and values, hosted zones, ARNs, instance, stack, cluster and service names, probe
 * targets, the registry host, the template's bucket). So the dev and prod versions of one change have
 * one digest, and any change to the what gives another.
 */
export function promotionDigest(plan: Plan): string {
  return planDigest(promotedPart(plan));
}

/** The plan without its environment-bound values. Fields not named here are kept: new ones count as "what". */
export function promotedPart(plan: Plan): object {
  const { description: _prose, notifications: _topic, ...what } = plan;
  return {
    ...what,
    dns: { records: plan.dns.records.map((record) => ({ type: record.type })) },
    deploy: deployWhat(plan.deploy),
    health: { ...plan.health, probes: plan.health.probes.map(probeWhat) },
    database: databaseWhat(plan.database),
  };
}

function deployWhat(deploy: Deploy): object {
  switch (deploy.kind) {
    case 'none':
      return deploy;
    case 'cloudformation': {
      const { stackName: _stack, templateUrl, ...what } = deploy;
      // The object key: each account has its own bucket.
      return { ...what, template: new URL(templateUrl).pathname };
    }
    case 'ecs': {
      const { cluster: _cluster, service: _service, image, ...what } = deploy;
      return { ...what, image: withoutRegistry(image) };
    }
  }
}

function probeWhat(probe: Probe): object {
  switch (probe.kind) {
    case 'http': {
      const { url: _url, ...what } = probe;
      return what;
    }
    case 'alarm':
    case 'route53HealthCheck':
      return { kind: probe.kind };
  }
}

function databaseWhat(database: Database): object {
  switch (database.kind) {
    case 'none':
      return database;
    case 'postgres-logical': {
      const { source: _source, target: _target, endpoint, ...what } = database;
      return { ...what, endpoint: { ttl: endpoint.ttl } };
    }
    case 'rds-blue-green': {
      const { blueGreenDeploymentId: _deployment, ...what } = database;
      return what;
    }
    case 'rds-read-replica': {
      const {
        source: _source,
        sourceInstanceId: _blue,
        replicaInstanceId: _green,
        endpoint,
        ...what
      } = database;
      return { ...what, endpoint: { ttl: endpoint.ttl } };
    }
  }
}

/**
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2` → `orders:1.4.2`: each account pulls from
 * its own registry. A first path component is a registry host when it has a dot or a port, or is localhost.
 */
function withoutRegistry(image: string): string {
  const [first, ...rest] = image.split('/');
  const isRegistry = rest.length > 0 && (/[.:]/.test(first!) || first === 'localhost');
  return isRegistry ? rest.join('/') : image;
}
