import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../cli/main';
import { readProbeAllowList } from '../../cli/probe-allow-list';
import { validatePlan } from '../../domain/plan/validate';
import type { Ports } from '../../workflow/ports';
import { validatePlanStep } from '../../workflow/steps/validate-plan';
import { captureIo } from '../support/capture-io';
import { EXAMPLES_DIR, examplePlan } from '../support/plans';

const dir = mkdtempSync(join(tmpdir(), 'plan-refusals-'));
const write = (name: string, content: string | Uint8Array) => {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
};
const outputBytes = (io: { stdout: string; stderr: string }) =>
  Buffer.byteLength(io.stdout) + Buffer.byteLength(io.stderr);

describe('cutover plan refuses what AWS would fail on, with short, safe messages', () => {
  it('fails with exit 2 on a UTF-16 file, saying so', async () => {
    const text = readFileSync(join(EXAMPLES_DIR, 'app-canary.yaml'), 'utf8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const io = captureIo();
    expect(await main(['plan', write('utf16.yaml', utf16)], io)).toBe(2);
    expect(io.stderrLines).toEqual(['the file is UTF-16 (or binary), not UTF-8 text; save it as UTF-8']);
  });

  it('accepts a UTF-8 file that starts with a byte order mark', async () => {
    const text = readFileSync(join(EXAMPLES_DIR, 'app-canary.yaml'), 'utf8');
    const io = captureIo();
    expect(await main(['plan', write('bom.yaml', `\uFEFF${text}`)], io)).toBe(0);
  });

  it('fails fast with exit 2 and a few bytes of output on a 20 MB field', async () => {
    const plan = examplePlan('app-canary.yaml') as unknown as Record<string, unknown>;
    plan['name'] = 'x'.repeat(20 * 1024 * 1024);
    const text = JSON.stringify(plan);
    const io = captureIo();
    expect(await main(['plan', write('huge.json', text)], io)).toBe(2);
    expect(io.stderrLines).toEqual([
      `the file is ${Buffer.byteLength(text)} bytes; a plan runs inside a Step Functions execution input, so it is at most 262144 bytes (256 KiB)`,
    ]);
  });

  it('cuts a long value to 60 characters and says its length', async () => {
    const plan = examplePlan('app-canary.yaml');
    plan.dns.records[0]!.name = `${'a'.repeat(5000)}.example.com`;
    const io = captureIo();
    expect(await main(['plan', write('long-value.yaml', stringify(plan))], io)).toBe(2);
    expect(io.stderrLines).toEqual([
      `dns.records[0].name: "${'a'.repeat(60)}…" (5012 characters) is 5012 characters long; a domain name has at most 253`,
    ]);
  });

  it('prints at most 40 problems, then how many more there are, whatever the input', async () => {
    const plan = examplePlan('app-canary.yaml') as unknown as Record<string, unknown>;
    for (let i = 0; i < 5000; i++) plan[`field${i}`] = i;
    const io = captureIo();
    expect(await main(['plan', write('many.yaml', stringify(plan))], io)).toBe(2);
    expect(io.stderrLines).toHaveLength(41);
    expect(io.stderrLines.at(-1)).toBe('… and 4960 more problem(s) not shown');
    expect(outputBytes(io)).toBeLessThan(64 * 1024);
  });

  it('prints errors as JSON with --json', async () => {
    const plan = examplePlan('app-canary.yaml');
    plan.traffic.decisionTimeout = '0s';
    const io = captureIo();
    expect(await main(['plan', write('json-errors.yaml', stringify(plan)), '--json'], io)).toBe(2);
    expect(JSON.parse(io.stdout)).toEqual({
      valid: false,
      errors: [{ path: 'traffic.decisionTimeout', message: '"0s" is too short: it must be more than 0' }],
      warnings: [],
    });
    expect(io.stderr).toBe('');
  });

  it('prints YAML problems as JSON with --json', async () => {
    const io = captureIo();
    expect(await main(['plan', write('json-yaml.yaml', 'name: "open\n'), '--format', 'json'], io)).toBe(2);
    expect(JSON.parse(io.stdout)).toMatchObject({
      errors: [
        { path: '', message: 'line 1, column 7: this quoted value is never closed; add the closing quote' },
      ],
    });
  });

  it('escapes escape sequences in arguments commander echoes', async () => {
    const io = captureIo();
    expect(await main(['plan', join(EXAMPLES_DIR, 'app-canary.yaml'), '--format', '\u001b[2Jxml'], io)).toBe(
      2,
    );
    expect(io.stderr).not.toContain('\u001b');
    expect(io.stderr).toContain('\\u{001B}[2Jxml');
  });

  it('warns, naming the risk, when an operator has under a minute to answer', async () => {
    const plan = examplePlan();
    plan.traffic.decisionTimeout = '30s';
    const io = captureIo();
    expect(await main(['plan', write('short-decision.yaml', stringify(plan))], io)).toBe(0);
    expect(io.stderrLines).toEqual([
      'warning: traffic.decisionTimeout: 30s leaves an operator almost no time to answer; the wait will end in a rollback',
    ]);
  });
});

describe('probe targets', () => {
  const withProbe = (url: string) => {
    const plan = examplePlan('app-canary.yaml');
    plan.health.probes = [{ kind: 'http', url }];
    return plan;
  };

  it('allows a private address only when the configuration lists it', () => {
    expect(() => validatePlan(withProbe('http://10.0.3.7/healthz'))).toThrow('a private address');
    expect(() =>
      validatePlan(withProbe('http://10.0.3.7/healthz'), { allowedProbeTargets: ['10.0.3.0/24'] }),
    ).not.toThrow();
  });

  it('lets the workflow’s validation use the orchestrator’s allow-list', async () => {
    const input = { plan: withProbe('http://10.0.3.7/healthz'), execution: 'exec-1' };
    await expect(validatePlanStep.run({} as Ports, input)).rejects.toThrow('a private address');
    const allowing = { allowedProbeTargets: ['10.0.3.7'] } as Partial<Ports> as Ports;
    await expect(validatePlanStep.run(allowing, input)).resolves.toMatchObject({ execution: 'exec-1' });
  });

  it('lets the workflow refuse a notification topic the orchestrator may not publish to', async () => {
    const plan = examplePlan('app-canary.yaml');
    const input = { plan, execution: 'exec-1' };
    const topic = plan.notifications!.snsTopicArn;
    const none = { allowedNotificationTopics: [] } as Partial<Ports> as Ports;
    await expect(validatePlanStep.run(none, input)).rejects.toThrow(
      `notifications.snsTopicArn: ${topic} is not a topic this orchestrator may publish to; add it to cdk.json context "cutover:notificationTopicArns"`,
    );
    const allowed = { allowedNotificationTopics: [topic] } as Partial<Ports> as Ports;
    await expect(validatePlanStep.run(allowed, input)).resolves.toMatchObject({
      notificationTopicArn: topic,
    });
  });

  it('never allows the metadata service, even when listed', () => {
    expect(() =>
      validatePlan(withProbe('http://169.254.169.254/'), { allowedProbeTargets: ['169.254.0.0/16'] }),
    ).toThrow('a link-local address');
  });

  it.each(['http://0x7f.1/', 'http://2130706433/', 'http://[fd00:ec2::254]/', 'http://app.localhost/'])(
    'refuses %s, however it is spelled',
    (url) => {
      expect(() => validatePlan(withProbe(url))).toThrow(/may not reach it|this machine/);
    },
  );

  it('reads the allow-list from cdk.json context, and refuses a malformed entry', async () => {
    const config = mkdtempSync(join(tmpdir(), 'allow-list-'));
    writeFileSync(
      join(config, 'cdk.json'),
      JSON.stringify({ context: { 'cutover:allowedProbeTargets': ['10.0.3.7', 'fd12::/16'] } }),
    );
    expect(await readProbeAllowList(config)).toEqual(['10.0.3.7', 'fd12::/16']);
    writeFileSync(
      join(config, 'cdk.json'),
      JSON.stringify({ context: { 'cutover:allowedProbeTargets': ['ten'] } }),
    );
    await expect(readProbeAllowList(config)).rejects.toThrow(
      'cdk.json context "cutover:allowedProbeTargets": allowed probe target "ten" is not an IP address or CIDR block',
    );
  });
});

describe('cutover rehearse checks its arguments before anything starts', () => {
  it.each([
    [['--fault', 'toString'], /argument 'toString' is invalid\. "toString": unknown fault|unknown fault/],
    [['--fault', 'data-drift:3'], /data-drift takes no parameter/],
    [
      ['--fault', 'green-unhealthy:9'],
      /^--fault green-unhealthy:9: the plan has 4 shift step\(s\); name one from 1 to 4$/,
    ],
    [
      [join(EXAMPLES_DIR, 'app-canary.yaml'), '--fault', 'green-fails-to-start'],
      /^--fault green-fails-to-start: the plan deploys with kind "cloudformation"; this fault needs deploy kind "ecs"$/,
    ],
    [
      ['--report', '/etc/hostname/report.json'],
      /^--report "\/etc\/hostname\/report.json": cannot write to folder "\/etc\/hostname" \(E(EXIST|NOTDIR)\)$/,
    ],
  ])('refuses %j with exit 2', async (args, message) => {
    const io = captureIo();
    expect(await main(['rehearse', ...args], io)).toBe(2);
    expect(io.stdout).toBe('');
    expect(io.stderrLines).toHaveLength(1);
    expect(io.stderrLines[0]).toMatch(message);
  });
});
