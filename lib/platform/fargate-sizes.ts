/**
 * Fargate's valid CPU (units) and memory (MiB) pairs, from the ECS developer guide ("Task CPU and memory").
 * A task definition with any other pair is rejected by ECS at deploy time; we refuse it at synth.
 */
const MEMORY_BY_CPU: Readonly<
  Record<number, { min: number; max: number; step: number; extra?: readonly number[] }>
> = {
  256: { min: 1024, max: 2048, step: 1024, extra: [512] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** Why the pair is not a Fargate size, or undefined when it is. */
export function fargateSizeProblem(cpu: number, memoryMiB: number): string | undefined {
  const memory = MEMORY_BY_CPU[cpu];
  if (!memory) return `cpu is ${cpu}; expected one of ${Object.keys(MEMORY_BY_CPU).join(', ')}`;
  const fits =
    memory.extra?.includes(memoryMiB) ||
    (memoryMiB >= memory.min && memoryMiB <= memory.max && (memoryMiB - memory.min) % memory.step === 0);
  if (fits) return undefined;
  const extra = memory.extra?.length ? `${memory.extra.join(', ')} or ` : '';
  return `memoryMiB is ${memoryMiB}; with cpu ${cpu} expected ${extra}${memory.min}–${memory.max} in steps of ${memory.step}`;
}
