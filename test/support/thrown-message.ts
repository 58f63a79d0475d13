/** The message `run` throws, or undefined when it returns (for asserting on a whole synth's errors). */
export function thrownMessage(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
