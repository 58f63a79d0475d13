import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { main } from '../../cli/main';
import {
  EXECUTION_TIMEOUT_SECONDS,
  TASK_TIMEOUT_MAX_SECONDS,
  TASK_TIMEOUT_MIN_SECONDS,
} from '../../domain/aws-limits';
import { durationSeconds } from '../../domain/duration';
import { resolveExecutionContext } from '../../domain/context/resolve-context';
import { validatePlan } from '../../domain/plan/validate';
import { executionWorstCaseSeconds, resolveSchedule } from '../../domain/schedule/resolve';
import { captureIo } from '../support/capture-io';
import { EXAMPLES, examplePlan } from '../support/plans';

const MAX_OUTPUT_BYTES = 64 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'plan-property-'));

/** Values an operator (or an attacker) might put anywhere in a plan. */
const durationText = fc.oneof(
  fc.constantFrom('0s', '0ms', '1ms', '999ms', '14d', '15d', '1200d', '99999999999d'),
  fc
    .tuple(
      fc.oneof(fc.nat({ max: 100 }), fc.nat(), fc.stringMatching(/^\d{1,25}$/)),
      fc.constantFrom('ms', 's', 'm', 'h', 'd'),
    )
    .map(([amount, unit]) => `${amount}${unit}`),
);
const hostile = fc.constantFrom(
  'http://169.254.169.254/latest/meta-data/',
  'http://127.0.0.1:9001/2018-06-01/runtime/invocation/next',
  'http://[::1]/',
  'https://:hunter2@green-lb.example.com/healthz',
  'https://green-lb.example.com/healthz?token=abc',
  '${GREEN_LB}',
  '\u001b[2J\u001b[Hplan is valid',
  'orders\u200b-to-rds',
  '203.0.113.10',
  'green-lb.example.com',
  'x'.repeat(5000),
);
const scalar = fc.oneof(
  durationText,
  hostile,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 80 }),
);
const anyValue = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 120 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), scalar, { maxKeys: 5 }),
  },
);

/** Every path to a value in the example, so that mutations land where plans have fields. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [path, ...value.flatMap((item, i) => leafPaths(item, [...path, i]))];
  if (value && typeof value === 'object') {
    return [path, ...Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...path, key]))];
  }
  return [path];
}

function setAt(root: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (!node || typeof node !== 'object') return; // an earlier mutation replaced this branch
    node = (node as Record<string | number, unknown>)[key];
  }
  const last = path.at(-1);
  if (last !== undefined && node && typeof node === 'object')
    (node as Record<string | number, unknown>)[last] = value;
}

/** Fields the examples leave to their defaults. */
const OPTIONAL_FIELDS: (string | number)[][] = [
  ['deploy', 'timeout'],
  ['traffic', 'decisionTimeout'],
  ['traffic', 'bake'],
  ['health', 'interval'],
  ['health', 'probes', 0, 'latencyBudget'],
  ['health', 'probes', 0, 'url'],
  ['database', 'approvalTimeout'],
  ['database', 'catchUpTimeout'],
  ['database', 'switchoverTimeout'],
  ['finalize', 'keepBlueFor'],
];

const planShaped = fc
  .constantFrom(...EXAMPLES)
  .chain((example) => {
    const paths = [...leafPaths(examplePlan(example)).filter((p) => p.length > 0), ...OPTIONAL_FIELDS];
    const durationMutation = fc.record({ path: fc.constantFrom(...OPTIONAL_FIELDS), value: durationText });
    const anyMutation = fc.record({
      path: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...paths) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom(...paths), fc.string({ unit: 'binary', maxLength: 12 }))
            .map(([p, key]) => [...p, key]),
        },
      ),
      value: anyValue,
    });
    return fc.record({
      example: fc.constant(example),
      mutations: fc.array(fc.oneof(durationMutation, anyMutation), { maxLength: 4 }),
      asJson: fc.boolean(),
      json: fc.boolean(),
    });
  })
  .map(({ example, mutations, asJson, json }) => {
    const plan = examplePlan(example) as unknown as Record<string, unknown>;
    for (const { path, value } of mutations) setAt(plan, path, value);
    return { text: asJson ? JSON.stringify(plan) : stringify(plan), json };
  });

/** The Task timeouts (and the lock's lifetime) the state machine reads from the execution context. */
function stateMachineTimeouts(text: string): Record<string, number> {
  const context = resolveExecutionContext(validatePlan(parse(text)).plan, 'property');
  const { bakeSeconds, decisionSeconds, approvalSeconds, operatorAskSeconds, lockSeconds } = context.timeouts;
  return {
    bakeSeconds,
    decisionSeconds,
    operatorAskSeconds,
    lockSeconds,
    ...(context.flags.approval ? { approvalSeconds } : {}),
  };
}

describe('cutover plan, for any plan-shaped input', () => {
  it('exits 0 with a plan the state machine can run, or 2 with at most 64 KB of output', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(planShaped, async ({ text, json }) => {
        const path = join(dir, `plan-${file++}.${json ? 'json' : 'yaml'}`);
        writeFileSync(path, text);
        const io = captureIo();
        const code = await main(['plan', path, ...(json ? ['--json'] : [])], io);
        expect([0, 2]).toContain(code);
        expect(Buffer.byteLength(io.stdout) + Buffer.byteLength(io.stderr)).toBeLessThanOrEqual(
          MAX_OUTPUT_BYTES,
        );
        if (code === 2) return;
        for (const seconds of Object.values(stateMachineTimeouts(text))) {
          expect(Number.isInteger(seconds)).toBe(true);
          expect(seconds).toBeGreaterThanOrEqual(TASK_TIMEOUT_MIN_SECONDS);
          expect(seconds).toBeLessThanOrEqual(TASK_TIMEOUT_MAX_SECONDS);
        }
        const { plan } = validatePlan(parse(text));
        const operatorSeconds =
          plan.database.kind === 'none' ? 0 : durationSeconds(plan.database.operatorTimeout);
        expect(executionWorstCaseSeconds(resolveSchedule(plan), operatorSeconds)).toBeLessThanOrEqual(
          EXECUTION_TIMEOUT_SECONDS,
        );
      }),
      { numRuns: 300 },
    );
  });
});
