import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunbookAudit, RunbookRunRecord } from '../../ports/runbook-audit';

/** Runbook runs on this host, one JSON line each (appended, never rewritten), and claims of scheduled times. */
export class FileRunbookAudit implements RunbookAudit {
  constructor(private readonly file: string) {}

  async record(run: RunbookRunRecord): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(run)}\n`);
  }

  async claimScheduledTime(runbook: string, scheduledTime: string, runId: string): Promise<boolean> {
    const claims = join(dirname(this.file), 'runbook-claims');
    await mkdir(claims, { recursive: true });
    try {
      // O_EXCL: exactly one claimant creates the file.
      await writeFile(join(claims, `${runbook}@${scheduledTime.replace(/[^0-9A-Za-z-]/g, '_')}`), runId, {
        flag: 'wx',
      });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  async history(runbook: string, limit: number): Promise<RunbookRunRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as RunbookRunRecord)
      .filter((run) => run.runbook === runbook)
      .reverse()
      .slice(0, limit);
  }
}
