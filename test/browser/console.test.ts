import { userInfo } from 'node:os';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot } from '../support/browser';
import { eventually } from '../support/eventually';
import { operatedRehearsal, type OperatedRehearsal } from '../support/operated-rehearsal';

jest.setTimeout(180_000);

const me = `local:${userInfo().username}`;

describe('the web console, in Chromium, against a live rehearsal', () => {
  let rehearsal: OperatedRehearsal | undefined;
  let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
  afterEach(async () => {
    await browser?.close();
    await rehearsal?.close();
    browser = rehearsal = undefined;
  });

  async function openExecution(r: OperatedRehearsal): Promise<Page> {
    browser = await openBrowser();
    const execution = await r.execution();
    await browser.page.goto(`${r.url}/console/`);
    await browser.page.getByRole('link', { name: execution }).click();
    await browser.page.waitForURL(/\/console\/execution\?name=/);
    return browser.page;
  }

  it('shows a paused health failure with Rollback first; Rollback with a reason ends rolled back at blue 100 %', async () => {
    rehearsal = await operatedRehearsal(['green-unhealthy']);
    const page = await openExecution(rehearsal);
    await expectVisible(page, '#failure', /Health check failed: HealthCheckFailed/);
    await screenshot(page, 'health-failure-paused');
    const buttons = page.locator('#buttons button');
    expect(await buttons.allTextContents()).toEqual(['Rollback', 'Continue']);

    await buttons.first().click();
    await page.locator('#rollback-reason').fill('green answers 500');
    await page.locator('#confirm-rollback-button').click();

    const { report } = await rehearsal.outcome;
    expect(report.outcome).toBe('rolled_back');
    expect(report.finalWeights).toEqual({ blue: 100, green: 0 });
    await expectVisible(page, '#summary', /^rolled_back/);
    const decision = page.locator('#decisions tbody tr').first();
    expect(await decision.locator('td').allTextContents()).toEqual([
      expect.any(String),
      me,
      'rollback',
      'green answers 500',
      'rolling back now',
    ]);
    expect(Number(await page.locator('#chart').getAttribute('data-points'))).toBeGreaterThan(2);
    await screenshot(page, 'rolled-back');
  });

  it('approves the database switchover from the page; the cutover completes', async () => {
    rehearsal = await operatedRehearsal();
    const page = await openExecution(rehearsal);
    await expectVisible(page, '#question-text', /waits for approval/);
    await screenshot(page, 'approval-gate');
    expect(await page.locator('#buttons button').allTextContents()).toEqual([
      'Approve',
      'Refuse',
      'Rollback',
    ]);
    await page.locator('#reason').fill('change window open');
    await page.getByRole('button', { name: 'Approve' }).click();

    const { report } = await rehearsal.outcome;
    expect(report.outcome).toBe('completed');
    await expectVisible(page, '#summary', /^completed/);
    await expectVisible(page, '#decisions tbody', new RegExp(`${me}approvechange window open`));
    await screenshot(page, 'completed');
  });
});

async function expectVisible(page: Page, selector: string, text: RegExp): Promise<void> {
  await eventually(
    async () => {
      const element = page.locator(selector);
      const content = (await element.textContent()) ?? '';
      if (!(await element.isVisible()) || !text.test(content)) {
        throw new Error(`${selector} shows ${JSON.stringify(content)}, expected ${text}`);
      }
    },
    60_000,
    200,
  );
}
