/**
 * report.html as a reader gets it: opened from disk in a real headless Chromium (Debian's chromium,
 * driven by playwright-core), with no network, no script errors, and the verdict and failures visible.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { failingReport, passingReport } from '../fixtures/reports/build.js';
import { chromiumPath, describeWithTool } from './tools.js';

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

describeWithTool(
  chromiumPath,
  'report.html in headless Chromium',
  'apt-get install -y chromium',
  (executablePath) => {
    let browser: Browser;
    const dir = mkdtempSync(join(tmpdir(), 'fhir-certify-html-'));

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    interface Opened {
      page: Page;
      url: string;
      requests: string[];
      problems: string[];
    }

    async function open(name: string, html: string): Promise<Opened> {
      const path = join(dir, name);
      writeFileSync(path, html);
      const url = pathToFileURL(path).href;
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(url, { waitUntil: 'load' });
      return { page, url, requests, problems };
    }

    it('loads with no console errors, no dialogs and no request but the file itself', async () => {
      const { page, url, requests, problems } = await open('fail.html', renderHtml(failingReport()));
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      // The CSP hashes let our own style and script through: the style applied, the script made its buttons.
      // Runs in the page; the project's TypeScript has no DOM library, hence the cast.
      const borderLeft = await page
        .locator('.verdict')
        .evaluate(
          (e) =>
            (
              globalThis as unknown as { getComputedStyle(el: unknown): { borderLeftWidth: string } }
            ).getComputedStyle(e).borderLeftWidth,
        );
      expect(borderLeft).toBe('12px');
      await expect.poll(() => page.getByRole('button', { name: 'Expand all evidence' }).count()).toBe(1);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
      await page.close();
    });

    it('shows the verdict and each failed requirement ID', async () => {
      const { page, problems } = await open('fail2.html', renderHtml(failingReport()));
      const verdict = page.locator('#verdict-word');
      expect(await verdict.isVisible()).toBe(true);
      expect(await verdict.innerText()).toBe('✗ NOT CERTIFIED');
      const failed = failingReport().checks.filter((r) => r.status === 'fail' || r.status === 'error');
      for (const row of failed) {
        const link = page.locator('#problems-h + table a.req', { hasText: row.requirement }).first();
        expect(await link.isVisible(), `${row.requirement} visible`).toBe(true);
      }
      // The partner's <script> is on screen as text.
      expect(
        await page.getByText("<script>alert('msg')</script>", { exact: false }).first().isVisible(),
      ).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('folds evidence until asked, and prints it open', async () => {
      const { page } = await open('fold.html', renderHtml(failingReport()));
      const body = page.locator('#fam-ROUTE pre', { hasText: "alert('body')" });
      expect(await body.isVisible()).toBe(false);
      await page.locator('#fam-ROUTE summary').first().click();
      expect(await body.isVisible()).toBe(true);
      await page.reload();
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#fam-ROUTE pre', { hasText: "alert('body')" }).isVisible()).toBe(true);
      await page.close();
    });

    it('is readable without script', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      const path = join(dir, 'nojs.html');
      writeFileSync(path, renderHtml(passingReport()));
      await page.goto(pathToFileURL(path).href);
      expect(await page.locator('#verdict-word').isVisible()).toBe(true);
      expect(await page.locator('#verdict-word').innerText()).toBe('✓ CERTIFIED');
      expect(await page.getByRole('table', { name: /Number of checks in each status/ }).isVisible()).toBe(
        true,
      );
      expect(await page.getByRole('button').count()).toBe(0);
      await context.close();
    });
  },
);
