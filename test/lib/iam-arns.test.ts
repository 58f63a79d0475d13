import { ACCOUNT_ID_OR_ROLE_ARN, ROLE_ARN } from '../../lib/iam-arns';

const ROLES = [
  'arn:aws:iam::123456789012:role/cutover-cfn',
  'arn:aws:iam::123456789012:role/service-role/orders-task',
  'arn:aws:iam::123456789012:role/a/b/CutoverOrchestrator-PromotionReader-DEV',
  'arn:aws-cn:iam::123456789012:role/deploy',
  'arn:aws-us-gov:iam::123456789012:role/deploy',
  'arn:aws:iam::123456789012:role/name+=,.@_-',
  `arn:aws:iam::123456789012:role/${'r'.repeat(64)}`,
];

const NOT_ROLES: ReadonlyArray<readonly [string, string]> = [
  ['no name', 'arn:aws:iam::123456789012:role/'],
  ['a path without a name', 'arn:aws:iam::123456789012:role/service-role/'],
  ['an empty path segment', 'arn:aws:iam::123456789012:role/a//b'],
  ['a wildcard', 'arn:aws:iam::123456789012:role/*'],
  ['a space in the name', 'arn:aws:iam::123456789012:role/orders task'],
  ['a name longer than 64', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`],
  ['a user, not a role', 'arn:aws:iam::123456789012:user/alice'],
  ['an 11-digit account', 'arn:aws:iam::12345678901:role/deploy'],
  ['a region (IAM is global)', 'arn:aws:iam:eu-west-1:123456789012:role/deploy'],
  ['another service', 'arn:aws:sts::123456789012:assumed-role/deploy/session'],
  ['a role name alone', 'deploy'],
  ['text around it', ' arn:aws:iam::123456789012:role/deploy'],
];

describe('ROLE_ARN', () => {
  it.each(ROLES)('accepts %s', (arn) => {
    expect(ROLE_ARN.test(arn)).toBe(true);
  });

  it.each(NOT_ROLES)('refuses %s', (_, value) => {
    expect(ROLE_ARN.test(value)).toBe(false);
  });
});

describe('ACCOUNT_ID_OR_ROLE_ARN', () => {
  it.each(['123456789012', ...ROLES])('accepts %s', (value) => {
    expect(ACCOUNT_ID_OR_ROLE_ARN.test(value)).toBe(true);
  });

  it.each<readonly [string, string]>([
    ...NOT_ROLES,
    ['a short account id', '12345678901'],
    ['an account id with text', '123456789012x'],
  ])('refuses %s', (_, value) => {
    expect(ACCOUNT_ID_OR_ROLE_ARN.test(value)).toBe(false);
  });
});
