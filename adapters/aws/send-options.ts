/** `client.send` options carrying the caller's abort signal (omitted, not undefined, when there is none). */
export function withSignal(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal ? { abortSignal: signal } : {};
}
