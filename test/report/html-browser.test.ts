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
import type { LatencyRow, Report } from '../../src/core/model.js';
import { failingReport, passingReport, refinish } from '../fixtures/reports/build.js';
import { chromiumPath, describeWithTool } from './tools.js';

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

/** The interactions a real run reports: long query strings, and loopback latencies under a millisecond. */
function realisticLatencyReport(): Report {
  const report = failingReport();
  const interactions = [
    'GET metadata',
    'POST token (client_credentials)',
    'GET Patient/{probe.id}',
    'POST Patient/_search family={probe.familyPrefix}',
    'GET Observation?patient={probe.id}&category=vital-signs&_sort=-date',
    'GET Encounter?patient={probe.id}&_sort=-date&_count=1',
    'GET MedicationRequest?patient={probe.id}&_count=10',
    'search with 4 simultaneous users',
  ];
  report.latency = interactions.map((interaction, i): LatencyRow => ({
    requirement: i === 7 ? 'LAT-06' : `LAT-0${Math.min(i + 1, 4)}`,
    interaction,
    samples: 130,
    p50: 0.3 + i / 10,
    p90: 0.6 + i,
    p95: 0.7 + i * 3,
    p99: 1.2 + i * 4,
    max: 1480 + i,
    budgetP95: 1000,
    status: 'pass',
    ttfbP50: 0.25,
    errors: 0,
  }));
  return refinish(report);
}

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

    it('fits a 1280 px window: no horizontal scroll, every table inside the page column', async () => {
      for (const [name, report] of [
        ['fail', failingReport()],
        ['pass', passingReport()],
        ['latency', realisticLatencyReport()],
      ] as const) {
        const { page } = await open(`fit-${name}.html`, renderHtml(report));
        // Runs in the page; the project's TypeScript has no DOM library, hence the string.
        const fit = (await page.evaluate(`(() => {
          const d = document.documentElement;
          const column = document.querySelector('main').getBoundingClientRect();
          const padding = parseFloat(getComputedStyle(document.querySelector('main')).paddingRight);
          const tooWide = [...document.querySelectorAll('table')]
            .filter((t) => t.getBoundingClientRect().right > column.right - padding + 0.5)
            .map((t) => (t.caption ? t.caption.textContent : 'a table') + ': ' + Math.round(t.getBoundingClientRect().right));
          return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, tooWide };
        })()`)) as { scrollWidth: number; clientWidth: number; tooWide: string[] };
        expect(fit.tooWide, name).toEqual([]);
        expect(fit.scrollWidth, name).toBeLessThanOrEqual(fit.clientWidth);
        expect(fit.clientWidth).toBeGreaterThan(1200);
        await page.close();
      }
    });

    it('reaches the latency section from the links under the verdict', async () => {
      const { page } = await open('nav.html', renderHtml(realisticLatencyReport()));
      const heading = page.locator('#latency-h');
      const inView = async (): Promise<boolean> => {
        const box = await heading.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 900;
      };
      expect(await inView()).toBe(false);
      const link = page
        .getByRole('navigation', { name: 'Sections of this report' })
        .getByRole('link', { name: /^Latency/ });
      expect(await link.count()).toBe(1);
      await page
        .getByRole('navigation', { name: 'Sections of this report' })
        .getByRole('link', { name: /^Latency/ })
        .click();
      await expect.poll(inView).toBe(true);
      // The chart draws the sub-millisecond p95s as bars a reader can see.
      const bar = await page.locator('#latency svg g rect.p95').first().boundingBox();
      expect(bar!.width).toBeGreaterThan(20);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'latency-from-summary.png') });
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
