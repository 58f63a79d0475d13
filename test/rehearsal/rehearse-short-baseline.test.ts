import { rehearseDemo } from '../support/rehearsal';

jest.setTimeout(180_000);

// A baseline shorter than the 1 s warm-up used to ask the load worker for an inverted latency window,
// which threw in the worker and left the rehearsal waiting for an answer forever.
it('ends when the baseline is shorter than the warm-up, with no "before" latency to report', async () => {
  const { report } = await rehearseDemo([], 'app-postgres-logical.yaml', 500);
  // The cause rides along so that a different ending says why.
  expect({ outcome: report.outcome, cause: report.cause }).toEqual({ outcome: 'completed', cause: null });
  expect(report.p99BeforeMs).toBe(0);
  expect(report.requests.failed).toBe(0);
});
