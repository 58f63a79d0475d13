import type { WeightedPair } from '../../../domain/context/execution-context';
import { blueMismatches, type LiveSide } from '../../../domain/dns/blue-record-check';

const plain: WeightedPair = {
  hostedZoneId: 'ZPUBLIC',
  name: 'app.example.com',
  type: 'CNAME',
  ttl: 30,
  blue: { setIdentifier: 'blue', values: ['blue-lb.example.com'] },
  green: { setIdentifier: 'green', values: ['green-lb.example.com'] },
};
const alias: WeightedPair = {
  ...plain,
  type: 'A',
  blue: {
    setIdentifier: 'blue',
    alias: {
      dnsName: 'blue-alb.eu-west-1.elb.amazonaws.com',
      hostedZoneId: 'Z32O12XQLNTSW2',
      evaluateTargetHealth: true,
    },
  },
};
const where = (pair: WeightedPair) => `record app.example.com (${pair.type}, set "blue") in zone ZPUBLIC`;
const tail = 'describe blue as it is (rollback writes it back)';

describe('blueMismatches', () => {
  it.each<[string, WeightedPair, LiveSide]>([
    [
      'the same plain record, host name in another case with a trailing dot',
      plain,
      { ttl: 30, values: ['Blue-LB.example.com.'] },
    ],
    [
      'the same alias, stored by the console with dualstack. and a trailing dot',
      alias,
      {
        alias: {
          dnsName: 'dualstack.blue-alb.eu-west-1.elb.amazonaws.com.',
          hostedZoneId: 'Z32O12XQLNTSW2',
          evaluateTargetHealth: true,
        },
      },
    ],
  ])('accepts %s', (_, pair, live) => {
    expect(blueMismatches(pair, live)).toEqual([]);
  });

  it.each<[string, WeightedPair, LiveSide, string[]]>([
    [
      'a different value',
      plain,
      { ttl: 30, values: ['old-lb.example.com'] },
      [
        `${where(plain)}: blue.values is [old-lb.example.com] live, [blue-lb.example.com] in the plan; ${tail}`,
      ],
    ],
    [
      'a different TTL',
      plain,
      { ttl: 300, values: ['blue-lb.example.com'] },
      [`${where(plain)}: ttl is 300 live, 30 in the plan; ${tail}`],
    ],
    [
      'an alias where the plan has values',
      plain,
      { alias: { dnsName: 'x.elb.amazonaws.com', hostedZoneId: 'Z1', evaluateTargetHealth: false } },
      [
        `${where(plain)}: blue.alias is x.elb.amazonaws.com (zone Z1) live, absent (plain values) in the plan; ${tail}`,
      ],
    ],
    [
      'another alias zone and target health',
      alias,
      {
        alias: {
          dnsName: 'blue-alb.eu-west-1.elb.amazonaws.com',
          hostedZoneId: 'Z35SXDOTRQ7X7K',
          evaluateTargetHealth: false,
        },
      },
      [
        `${where(alias)}: blue.alias.hostedZoneId is Z35SXDOTRQ7X7K live, Z32O12XQLNTSW2 in the plan; ${tail}`,
        `${where(alias)}: blue.alias.evaluateTargetHealth is false live, true in the plan; ${tail}`,
      ],
    ],
  ])('refuses %s, naming the field', (_, pair, live, expected) => {
    expect(blueMismatches(pair, live)).toEqual(expected);
  });
});
