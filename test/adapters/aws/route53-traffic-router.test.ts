import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  PriorRequestNotComplete,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Route53TrafficRouter } from '../../../adapters/aws/route53-traffic-router';
import { groupByZone, type WeightedPair } from '../../../domain/context/execution-context';

const route53 = mockClient(Route53Client);
const router = new Route53TrafficRouter(new Route53Client({}));

const api: WeightedPair = {
  hostedZoneId: 'ZPUBLIC',
  name: 'api.example.com',
  type: 'A',
  ttl: 60,
  blue: { setIdentifier: 'blue', values: ['192.0.2.10', '192.0.2.11'] },
  green: { setIdentifier: 'green', values: ['198.51.100.10'] },
};
const app: WeightedPair = {
  hostedZoneId: 'ZPUBLIC',
  name: 'app.example.com',
  type: 'A',
  ttl: 60,
  blue: {
    setIdentifier: 'blue-ec2',
    alias: {
      dnsName: 'blue-alb.eu-west-1.elb.amazonaws.com',
      hostedZoneId: 'Z32O12XQLNTSW2',
      evaluateTargetHealth: true,
    },
  },
  green: {
    setIdentifier: 'green-fargate',
    alias: {
      dnsName: 'green-alb.eu-west-1.elb.amazonaws.com',
      hostedZoneId: 'Z32O12XQLNTSW2',
      evaluateTargetHealth: false,
    },
  },
};
const internal: WeightedPair = {
  hostedZoneId: 'ZPRIVATE',
  name: 'web.internal.example.com',
  type: 'CNAME',
  ttl: 30,
  blue: { setIdentifier: 'blue', values: ['blue.internal.example.com'] },
  green: { setIdentifier: 'green', values: ['green.internal.example.com'] },
};

function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
}

beforeEach(() => route53.reset());

describe('setWeights', () => {
  it('sends one change batch per hosted zone, whatever the number of records', async () => {
    route53
      .on(ChangeResourceRecordSetsCommand, { HostedZoneId: 'ZPUBLIC' })
      .resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } })
      .on(ChangeResourceRecordSetsCommand, { HostedZoneId: 'ZPRIVATE' })
      .resolves({ ChangeInfo: { Id: '/change/C2', Status: 'PENDING', SubmittedAt: new Date() } });

    const tickets = await router.setWeights(groupByZone([api, internal, app]), { blue: 90, green: 10 });

    expect(tickets).toEqual([
      { id: '/change/C1', hostedZoneId: 'ZPUBLIC' },
      { id: '/change/C2', hostedZoneId: 'ZPRIVATE' },
    ]);
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 2);
    expect(route53).toReceiveCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: 'ZPUBLIC',
      ChangeBatch: expect.objectContaining({
        Changes: [
          upsert({
            Name: 'api.example.com',
            Type: 'A',
            SetIdentifier: 'blue',
            Weight: 90,
            TTL: 60,
            ResourceRecords: [{ Value: '192.0.2.10' }, { Value: '192.0.2.11' }],
          }),
          upsert({
            Name: 'api.example.com',
            Type: 'A',
            SetIdentifier: 'green',
            Weight: 10,
            TTL: 60,
            ResourceRecords: [{ Value: '198.51.100.10' }],
          }),
          upsert({
            Name: 'app.example.com',
            Type: 'A',
            SetIdentifier: 'blue-ec2',
            Weight: 90,
            AliasTarget: {
              DNSName: 'blue-alb.eu-west-1.elb.amazonaws.com',
              HostedZoneId: 'Z32O12XQLNTSW2',
              EvaluateTargetHealth: true,
            },
          }),
          upsert({
            Name: 'app.example.com',
            Type: 'A',
            SetIdentifier: 'green-fargate',
            Weight: 10,
            AliasTarget: {
              DNSName: 'green-alb.eu-west-1.elb.amazonaws.com',
              HostedZoneId: 'Z32O12XQLNTSW2',
              EvaluateTargetHealth: false,
            },
          }),
        ],
      }),
    });
    expect(route53).toReceiveCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: 'ZPRIVATE',
      ChangeBatch: expect.objectContaining({
        Changes: [
          upsert({
            Name: 'web.internal.example.com',
            Type: 'CNAME',
            SetIdentifier: 'blue',
            Weight: 90,
            TTL: 30,
            ResourceRecords: [{ Value: 'blue.internal.example.com' }],
          }),
          upsert({
            Name: 'web.internal.example.com',
            Type: 'CNAME',
            SetIdentifier: 'green',
            Weight: 10,
            TTL: 30,
            ResourceRecords: [{ Value: 'green.internal.example.com' }],
          }),
        ],
      }),
    });
  });

  it('fails with Throttled when Route 53 throttles the change', async () => {
    route53.on(ChangeResourceRecordSetsCommand).rejects(throttling());

    await expect(router.setWeights(groupByZone([api]), { blue: 50, green: 50 })).rejects.toMatchObject({
      name: 'Throttled',
    });
    expect(route53).toReceiveCommandTimes(ChangeResourceRecordSetsCommand, 1);
  });

  it('fails with PriorRequestNotComplete while the previous change is still being applied', async () => {
    route53.on(ChangeResourceRecordSetsCommand).rejects(
      new PriorRequestNotComplete({
        $metadata: {},
        message: 'The request was rejected because Route 53 was still processing a prior request.',
      }),
    );

    await expect(router.setWeights(groupByZone([api]), { blue: 50, green: 50 })).rejects.toMatchObject({
      name: 'PriorRequestNotComplete',
    });
  });

  it("passes the caller's abort signal to the SDK", async () => {
    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() },
    });
    const controller = new AbortController();

    await router.setWeights(groupByZone([api]), { blue: 50, green: 50 }, controller.signal);

    // The mock types `args` as the command alone; the SDK's send options come second.
    const [call] = route53.commandCalls(ChangeResourceRecordSetsCommand);
    expect((call?.args as unknown[] | undefined)?.[1]).toEqual({ abortSignal: controller.signal });
  });

  it('rethrows other errors unchanged', async () => {
    const invalid = Object.assign(new Error('Tried to create resource record set but it already exists'), {
      name: 'InvalidChangeBatch',
    });
    route53.on(ChangeResourceRecordSetsCommand).rejects(invalid);

    await expect(router.setWeights(groupByZone([api]), { blue: 50, green: 50 })).rejects.toBe(invalid);
  });
});

describe('isInSync', () => {
  const tickets = [
    { id: '/change/C1', hostedZoneId: 'ZPUBLIC' },
    { id: '/change/C2', hostedZoneId: 'ZPRIVATE' },
  ];

  it('reports INSYNC only once every change has propagated, after several PENDING polls', async () => {
    route53
      .on(GetChangeCommand, { Id: '/change/C1' })
      .resolvesOnce(change('C1', 'PENDING'))
      .resolvesOnce(change('C1', 'PENDING'))
      .resolves(change('C1', 'INSYNC'))
      .on(GetChangeCommand, { Id: '/change/C2' })
      .resolvesOnce(change('C2', 'PENDING'))
      .resolves(change('C2', 'INSYNC'));

    const polls = [
      await router.isInSync(tickets),
      await router.isInSync(tickets),
      await router.isInSync(tickets),
    ];
    const last = await router.isInSync(tickets);

    expect(polls).toEqual([false, false, false]);
    expect(last).toBe(true);
    expect(route53).toReceiveCommandWith(GetChangeCommand, { Id: '/change/C2' });
  });

  it('stops at the first pending change', async () => {
    route53.on(GetChangeCommand).resolves(change('C1', 'PENDING'));

    await expect(router.isInSync(tickets)).resolves.toBe(false);
    expect(route53).toReceiveCommandTimes(GetChangeCommand, 1);
  });

  it('fails with Throttled when GetChange is throttled', async () => {
    route53.on(GetChangeCommand).rejects(throttling());

    await expect(router.isInSync(tickets)).rejects.toMatchObject({ name: 'Throttled' });
  });
});

describe('readWeights', () => {
  it('reads both weights of the pair', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        weighted('api.example.com.', 'blue', 75),
        weighted('api.example.com.', 'green', 25),
        weighted('api2.example.com.', 'green', 99),
      ],
      IsTruncated: true,
      NextRecordName: 'api2.example.com.',
      NextRecordType: 'A',
      MaxItems: 3,
    });

    await expect(router.readWeights(api)).resolves.toEqual({ blue: 75, green: 25 });
    expect(route53).toReceiveCommandTimes(ListResourceRecordSetsCommand, 1);
    expect(route53).toReceiveCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: 'ZPUBLIC',
      StartRecordName: 'api.example.com',
      StartRecordType: 'A',
    });
  });

  it('follows pages while they still hold sets of the record', async () => {
    route53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [weighted('api.example.com.', 'blue', 40)],
        IsTruncated: true,
        NextRecordName: 'api.example.com.',
        NextRecordType: 'A',
        NextRecordIdentifier: 'green',
        MaxItems: 1,
      })
      .resolvesOnce({
        ResourceRecordSets: [weighted('api.example.com.', 'green', 60)],
        IsTruncated: false,
        MaxItems: 1,
      });

    await expect(router.readWeights(api)).resolves.toEqual({ blue: 40, green: 60 });
    expect(route53).toReceiveCommandWith(ListResourceRecordSetsCommand, {
      StartRecordName: 'api.example.com.',
      StartRecordType: 'A',
      StartRecordIdentifier: 'green',
    });
  });

  it('fails when one side of the pair is missing', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        weighted('api.example.com.', 'blue', 100),
        weighted('api.example.com.', 'canary', 0),
      ],
      IsTruncated: false,
      MaxItems: 300,
    });

    await expect(router.readWeights(api)).rejects.toThrow(
      'no weighted A record api.example.com with set identifier "green" in hosted zone ZPUBLIC',
    );
  });
});

describe('readBlue', () => {
  it('reads the plain blue record: values and TTL', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          ...weighted('api.example.com.', 'blue', 100),
          ResourceRecords: [{ Value: '192.0.2.11' }, { Value: '192.0.2.10' }],
        },
        weighted('api.example.com.', 'green', 0),
      ],
      IsTruncated: false,
      MaxItems: 300,
    });

    await expect(router.readBlue(api)).resolves.toEqual({ ttl: 60, values: ['192.0.2.11', '192.0.2.10'] });
  });

  it('reads an alias blue record: target, zone and target health, without a TTL', async () => {
    route53.on(ListResourceRecordSetsCommand).resolves({
      ResourceRecordSets: [
        {
          Name: 'app.example.com.',
          Type: 'A',
          SetIdentifier: 'blue-ec2',
          Weight: 100,
          AliasTarget: {
            DNSName: 'dualstack.blue-alb.eu-west-1.elb.amazonaws.com.',
            HostedZoneId: 'Z32O12XQLNTSW2',
            EvaluateTargetHealth: true,
          },
        },
      ],
      IsTruncated: false,
      MaxItems: 300,
    });

    await expect(router.readBlue(app)).resolves.toEqual({
      alias: {
        dnsName: 'dualstack.blue-alb.eu-west-1.elb.amazonaws.com.',
        hostedZoneId: 'Z32O12XQLNTSW2',
        evaluateTargetHealth: true,
      },
    });
  });
});

describe('pointEndpoint', () => {
  it('upserts a simple CNAME and returns its change', async () => {
    route53.on(ChangeResourceRecordSetsCommand).resolves({
      ChangeInfo: { Id: '/change/C9', Status: 'PENDING', SubmittedAt: new Date() },
    });

    const ticket = await router.pointEndpoint(
      { hostedZoneId: 'ZPRIVATE', name: 'db.internal.example.com', ttl: 5 },
      'green-db.abc.eu-west-1.rds.amazonaws.com',
    );

    expect(ticket).toEqual({ id: '/change/C9', hostedZoneId: 'ZPRIVATE' });
    expect(route53).toReceiveCommandWith(ChangeResourceRecordSetsCommand, {
      HostedZoneId: 'ZPRIVATE',
      ChangeBatch: expect.objectContaining({
        Changes: [
          upsert({
            Name: 'db.internal.example.com',
            Type: 'CNAME',
            TTL: 5,
            ResourceRecords: [{ Value: 'green-db.abc.eu-west-1.rds.amazonaws.com' }],
          }),
        ],
      }),
    });
  });
});

function upsert(recordSet: Record<string, unknown>) {
  return { Action: 'UPSERT', ResourceRecordSet: recordSet };
}

function change(id: string, status: 'PENDING' | 'INSYNC') {
  return { ChangeInfo: { Id: `/change/${id}`, Status: status, SubmittedAt: new Date() } };
}

function weighted(name: string, setIdentifier: string, weight: number) {
  return {
    Name: name,
    Type: 'A' as const,
    SetIdentifier: setIdentifier,
    Weight: weight,
    TTL: 60,
    ResourceRecords: [{ Value: '192.0.2.1' }],
  };
}
