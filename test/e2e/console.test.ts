/**
 * The web console (console/) end to end: Debian's Chromium (playwright-core) against the real
 * local stack, started once for every page flow in this file. Assertions are on what the page
 * shows. Screenshots of each page go to docs/console/ (shown in the README).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../scripts/local/stack';
import { photo, requirePhotos } from '../support/photos';
import { libraryCopy } from '../support/transforms';
import { SHAPE_LABELS, shapeImage } from '../support/shapes';

// Page-side globals in the functions passed to page.evaluate / waitForFunction (this file is typechecked without the DOM lib).
declare const document: any, window: any, localStorage: any, sessionStorage: any, location: any;
type HTMLImageElement = any;

const SHOTS = join(import.meta.dirname, '../../docs/console');
let stack: LocalStack;
let dataDir: string;
let files: string;
let browser: Browser;

beforeAll(async () => {
  requirePhotos(['fresh-flower', 'garden', 'lady-bird', 'green-meadow', 'dune', 'aqua', 'bridge', 'people-2']);
  dataDir = await mkdtemp(join(tmpdir(), 'iris-console-'));
  files = await mkdtemp(join(tmpdir(), 'iris-console-files-'));
  process.env.IRIS_ESBUILD_DIR = '.esbuild-console-e2e';
  stack = await startLocalStack({ port: 0, dataDir, log: () => undefined, verbose: process.env.IRIS_VERBOSE === '1' });
  browser = await chromium.launch({
    executablePath: execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
  if (files) await rm(files, { recursive: true, force: true });
});

async function signedIn(width = 1280): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  // A function's first (cold) invocation on this loaded machine can take tens of seconds.
  page.setDefaultTimeout(90_000);
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${stack.url}/console`);
  await page.fill('#apiKey', stack.credentials.apiKey);
  await page.fill('#secretKey', stack.credentials.secretKey);
  await page.click('button[type=submit]');
  await page.waitForSelector('#project-section');
  return page;
}

const textOf = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

describe('the web console', () => {
  it('signs in (a wrong secret shown in words), keeps the token in session storage only, switches language, signs out', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${stack.url}/console`);
    await page.waitForSelector('#health tr[data-service="metadata"]');
    await page.fill('#apiKey', stack.credentials.apiKey);
    await page.fill('#secretKey', 'not-the-secret');
    await page.click('button[type=submit]');
    await page.waitForSelector('#signin-status.bad');
    // The IAM envelope's own message, not a generic failure.
    expect(await page.textContent('#signin-status')).toMatch(/password|secret|credential|invalid/i);
    await page.screenshot({ path: join(SHOTS, 'sign-in.png'), mask: [page.locator('#apiKey')] });

    await page.fill('#secretKey', stack.credentials.secretKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('#project-section');
    expect(await page.textContent('#project-id')).toBe(stack.credentials.projectId);
    const storage = await page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
    expect(storage.session).toContain('iamToken');
    expect(storage.local).not.toContain('Token');
    expect(storage.local).not.toContain(stack.credentials.secretKey);

    await page.selectOption('#lang', 'zh');
    await page.waitForSelector('nav a[data-page="libraries"]:has-text("图库")');
    expect(await page.textContent('#project-section h2')).toContain('项目');
    await page.selectOption('#lang', 'en');
    await page.waitForSelector('nav a[data-page="libraries"]:has-text("Image libraries")');

    // A reload keeps the session (same tab); signing out forgets it.
    await page.reload();
    await page.waitForSelector('#project-section');
    await page.click('#signout');
    await page.waitForSelector('#signin');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });

  it('image libraries: create, upload three photos (and a refusal), edit a brief, search with a crop, delete one', async () => {
    const names = ['fresh-flower', 'garden', 'lady-bird'];
    const paths: string[] = [];
    for (const n of names) {
      const p = join(files, `${n}.jpg`);
      await writeFile(p, await libraryCopy(photo(n).path, 640));
      paths.push(p);
    }
    const notImage = join(files, 'notes.txt');
    await writeFile(notImage, 'this is not an image');
    // Over the 4 MB image limit: random pixels do not compress.
    const big = join(files, 'big.png');
    const noise = Buffer.alloc(1400 * 1100 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    await writeFile(big, await sharp(noise, { raw: { width: 1400, height: 1100, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer());
    const crop = join(files, 'crop.jpg');
    const garden = await libraryCopy(photo('garden').path, 640);
    const meta = await sharp(garden).metadata();
    await writeFile(crop, await sharp(garden).extract({ left: Math.round(meta.width! * 0.2), top: Math.round(meta.height! * 0.2), width: Math.round(meta.width! * 0.6), height: Math.round(meta.height! * 0.6) }).jpeg({ quality: 85 }).toBuffer());

    const page = await signedIn();
    await page.click('nav a[data-page="libraries"]');
    await page.waitForSelector('.card[data-kind="same_hq"]');
    await page.click('.card[data-kind="same_hq"] button');
    await page.waitForSelector('.card[data-kind="same_hq"] [data-count]');
    await page.click('.card[data-kind="same_hq"] a');
    await page.waitForSelector('#library .empty');

    await page.setInputFiles('#upload-files', [...paths, notImage, big]);
    await page.waitForFunction(() => document.querySelectorAll('#upload-results li').length === 5, undefined, { timeout: 240_000 });
    const results = await textOf(page, '#upload-results li');
    for (const n of names) expect(results.find((r) => r.startsWith(`${n}.jpg`))).toMatch(/added \(\d+,\d+\)/);
    // The refusal in words, from the Baidu envelope.
    expect(results.find((r) => r.startsWith('notes.txt'))).toMatch(/image/i);
    expect(results.find((r) => r.startsWith('big.png'))).toMatch(/size|large|MB|bytes/i);
    expect(await page.locator('#upload-results li.bad').count()).toBe(2);
    await page.waitForFunction(() => document.querySelectorAll('#image-grid .tile').length === 3);
    expect((await textOf(page, '#image-grid .brief')).sort()).toEqual(names.map((n) => `${n}.jpg`).sort());
    expect(await page.textContent('.card[data-kind="same_hq"] [data-count]')).toBe('3');
    // Every thumbnail loads (presigned URLs of the stored images).
    await page.waitForFunction(() => [...document.querySelectorAll('#image-grid img')].every((i: HTMLImageElement) => i.complete && i.naturalWidth > 0));

    // Edit a brief and tags; the change survives a reload.
    const tile = page.locator('#image-grid .tile', { hasText: 'lady-bird.jpg' });
    await tile.getByRole('button', { name: /Edit/ }).click();
    await tile.locator('input[name=brief]').fill('ladybird on a leaf');
    await tile.locator('input[name=labels]').fill('7');

    // Meanwhile a duplicate is refused with its code and in words, and the grid reloads under the
    // open form: what was typed stays.
    const reloaded = page.waitForResponse((r) => r.url().includes('/image-libraries/same_hq/images') && r.request().method() === 'GET', { timeout: 120_000 });
    await page.setInputFiles('#upload-files', [paths[0]]);
    await page.waitForSelector('#upload-results li.bad');
    expect(await page.textContent('#upload-results li')).toMatch(/duplicate.*216681/);
    await reloaded;
    // Let Preact render the reloaded page (it renders on the next tick after the response).
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    expect(await tile.locator('input[name=brief]').inputValue()).toBe('ladybird on a leaf');
    expect(await tile.locator('input[name=labels]').inputValue()).toBe('7');
    await tile.getByRole('button', { name: 'Save' }).click();
    await page.waitForSelector('#image-grid .tile:has-text("ladybird on a leaf"), #image-grid .tile .error');
    expect(await page.locator('#image-grid .tile .error').allInnerTexts()).toEqual([]);
    await page.reload();
    await page.waitForSelector('#image-grid .tile:has-text("ladybird on a leaf")');
    expect(await page.locator('#image-grid .tile', { hasText: 'ladybird on a leaf' }).locator('.labels').textContent()).toBe('7');
    // The tag filter of the grid.
    await page.fill('#grid-filter', '7');
    await page.click('#library button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#image-grid .tile').length === 1);
    await page.fill('#grid-filter', '');
    await page.click('#library button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#image-grid .tile').length === 3);
    await page.waitForFunction(() => [...document.querySelectorAll('#image-grid img')].every((i: HTMLImageElement) => i.complete && i.naturalWidth > 0));
    await page.screenshot({ path: join(SHOTS, 'image-library.png'), fullPage: true });

    // Search with a cropped copy: the garden comes first, with its score and thumbnail.
    await page.setInputFiles('#search-file', crop);
    await page.waitForSelector('#hits .tile', { timeout: 120_000 });
    expect(await page.locator('#hits .tile').first().locator('.brief').textContent()).toContain('garden.jpg');
    expect(Number(await page.locator('#hits .tile').first().locator('.score').textContent())).toBeGreaterThan(0);
    await page.waitForFunction(() => {
      const img = document.querySelector('#hits .tile img');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    // A tag filter that excludes it.
    await page.fill('#search-labels', '7');
    await page.setInputFiles('#search-file', crop);
    await page.waitForFunction(() => !document.querySelector('#search [role=status]') && !!document.querySelector('#search h3'));
    expect(await page.locator('#hits .tile', { hasText: 'garden.jpg' }).count()).toBe(0);
    await page.fill('#search-labels', '');

    // Delete one; the grid and the count follow.
    await page.locator('#image-grid .tile', { hasText: 'fresh-flower.jpg' }).getByRole('button', { name: /Delete/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('#image-grid .tile').length === 2);
    await page.waitForFunction(() => document.querySelector('.card[data-kind="same_hq"] [data-count]')?.textContent === '2');
    // A stale page: the image was deleted elsewhere, then edited here.
    const stale = page.locator('#image-grid .tile', { hasText: 'garden.jpg' });
    const sign = await stale.getAttribute('data-cont-sign');
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('iris.console.session')!).baiduToken as string);
    const del = await fetch(`${stack.url}/rest/2.0/realtime_search/same_hq/delete?access_token=${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `cont_sign=${sign}` });
    expect(((await del.json()) as any).error_code).toBeUndefined();
    await stale.getByRole('button', { name: /Edit/ }).click();
    await stale.locator('input[name=brief]').fill('gone');
    await stale.getByRole('button', { name: 'Save' }).click();
    await page.waitForSelector('#image-grid .tile .error');
    expect(await stale.locator('.error').textContent()).toMatch(/not in the library|not exist|no such|not found/i);

    // Phone width: the page still lays out (no horizontal overflow).
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.locator('#image-grid').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'image-library-phone.png') });
    await page.close();
  }, 480_000);

  it('datasets: create, bulk upload, label, filter, boxes drawn, confirm a hard sample, reject in bulk, counts', async () => {
    const names = ['green-meadow', 'dune', 'aqua'];
    const paths: string[] = [];
    for (const n of names) {
      const p = join(files, `${n}.jpg`);
      await writeFile(p, await libraryCopy(photo(n).path, 480));
      paths.push(p);
    }
    const page = await signedIn();
    await page.click('nav a[data-page="datasets"]');
    await page.waitForSelector('#datasets .empty');
    await page.fill('#dataset_name', 'shelf');
    await page.fill('#dataset_labels', 'grass,sand,sea');
    await page.click('#create-dataset button[type=submit]');
    await page.waitForSelector('#dataset-title:has-text("shelf")');
    await page.waitForSelector('#dataset .empty');
    expect(await page.textContent('[data-count="total"]')).toBe('0');

    await page.setInputFiles('#sample-files', paths);
    await page.waitForFunction(() => document.querySelectorAll('#sample-results li').length === 3, undefined, { timeout: 120_000 });
    expect(await page.locator('#sample-results li.ok').count()).toBe(3);
    await page.waitForFunction(() => document.querySelectorAll('#sample-grid .tile').length === 3);
    await page.waitForFunction(() => document.querySelector('[data-count="total"]')?.textContent === '3');

    // Label one sample and filter by that label.
    const meadow = page.locator('#sample-grid .tile[data-sample="green-meadow.jpg"]');
    await meadow.locator('select').selectOption(['grass']);
    await meadow.getByRole('button', { name: /Set labels/ }).click();
    await page.waitForFunction(() => document.querySelector('#sample-grid .tile[data-sample="green-meadow.jpg"] .labels')?.textContent === 'grass');
    await page.waitForFunction(() => document.querySelector('[data-count="annotated"]')?.textContent === '1');
    await page.selectOption('#filter-label', 'grass');
    await page.waitForFunction(() => document.querySelectorAll('#sample-grid .tile').length === 1);
    await page.selectOption('#filter-label', '');

    // Hard examples as a camera would send them (through the API): one detection proposal with a box, two more.
    const session = await page.evaluate(() => JSON.parse(sessionStorage.getItem('iris.console.session')!));
    const datasetId = await page.evaluate(() => location.hash.split('/')[2]);
    const b64 = (await libraryCopy(photo('dune').path, 400)).toString('base64');
    const size = await sharp(Buffer.from(b64, 'base64')).metadata();
    const add = await fetch(`${stack.url}/v2/${stack.credentials.projectId}/datasets/${datasetId}/data-annotations/samples`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': session.iamToken },
      body: JSON.stringify({
        final_annotation: false,
        samples: [
          {
            name: 'hard-1.jpg',
            data: b64,
            labels: [{ name: 'sand', type: 1, property: { '@modelarts:shape': 'bndbox', '@modelarts:feature': [[20, 30], [200, 150]] } }],
            metadata: { '@modelarts:hard': 1, '@modelarts:size': [size.width, size.height, 3] },
          },
          { name: 'hard-2.jpg', data: b64.slice(0), labels: [{ name: 'sea', type: 0 }], metadata: { '@modelarts:hard': 1, '@modelarts:hard_reasons': [3] } },
          { name: 'hard-3.jpg', data: b64, labels: [{ name: 'sea', type: 0 }], metadata: { '@modelarts:hard': 1 } },
        ],
      }),
    });
    expect(((await add.json()) as any).results.map((r: any) => r.success)).toEqual([true, true, true]);
    await page.reload();
    await page.check('#filter-hard');
    await page.waitForFunction(() => document.querySelectorAll('#sample-grid .tile').length === 3);
    expect(await page.textContent('[data-count="hard"]')).toBe('3');
    // The detection box is drawn over its thumbnail, with its label.
    const hard1 = page.locator('#sample-grid .tile[data-sample="hard-1.jpg"]');
    expect(await hard1.locator('svg rect').count()).toBe(1);
    expect(await hard1.locator('svg rect').getAttribute('width')).toBe('180');
    expect(await hard1.locator('svg text').textContent()).toBe('sand');
    expect(await hard1.locator('.state').textContent()).toMatch(/to be confirmed.*hard/);
    await page.waitForFunction(() => [...document.querySelectorAll('#sample-grid img')].every((i: HTMLImageElement) => i.complete && i.naturalWidth > 0));
    await page.screenshot({ path: join(SHOTS, 'datasets.png'), fullPage: true });

    // Confirm one: it keeps its label, confirmed, no longer hard.
    await hard1.getByRole('button', { name: /^Confirm/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('#sample-grid .tile').length === 2);
    await page.waitForFunction(() => document.querySelector('[data-count="hard"]')?.textContent === '2');
    // Reject the other two in bulk.
    await page.check('#select-samples');
    await page.click('#reject-selected');
    await page.waitForFunction(() => document.querySelector('[data-count="hard"]')?.textContent === '0');
    await page.uncheck('#filter-hard');
    await page.waitForFunction(() => document.querySelectorAll('#sample-grid .tile').length === 6);
    expect(await page.locator('#sample-grid .tile[data-sample="hard-1.jpg"] .labels').textContent()).toBe('sand');
    expect(await page.locator('#sample-grid .tile[data-sample="hard-1.jpg"] .state').textContent()).toBe('labelled');
    expect(await page.locator('#sample-grid .tile[data-sample="hard-2.jpg"] .state').textContent()).toBe('unlabelled');
    await page.waitForFunction(() => document.querySelector('[data-count="annotated"]')?.textContent === '2');
    await page.close();
  }, 480_000);

  it('face sets: create with a fields schema, add a group photo (boxed faces), edit fields, search with the threshold, delete', async () => {
    requirePhotos(['people-2']);
    const group = join(files, 'group.jpg');
    await writeFile(group, await libraryCopy(photo('people-2').path, 1024));
    const page = await signedIn();
    await page.click('nav a[data-page="faces"]');
    await page.waitForSelector('#face-sets .empty');
    await page.fill('#face_set_name', 'staff');
    await page.click('#add-field');
    await page.fill('#field-key-0', 'team');
    await page.click('#add-field');
    await page.fill('#field-key-1', 'level');
    await page.selectOption('#field-type-1', 'integer');
    await page.click('#create-face-set button[type=submit]');
    await page.waitForSelector('#face-set-title:has-text("staff")');
    expect(await page.textContent('.card[data-face-set="staff"]')).toContain('team: string, level: integer');

    await page.fill('#add-external-id', 'group-2');
    await page.fill('#add-field-team', 'blue');
    await page.setInputFiles('#face-file', group);
    await page.waitForSelector('#added-count', { timeout: 180_000 });
    const stored = Number((await page.textContent('#added-count'))!.split(' ')[0]);
    expect(stored).toBeGreaterThan(0);
    // Every stored face is boxed over the photo.
    expect(await page.locator('#added-photo svg rect').count()).toBe(stored);
    await page.waitForFunction((n: number) => document.querySelectorAll('#faces tbody tr').length === Math.min(n, 12), stored);
    await page.waitForFunction((n: number) => document.querySelector('.card[data-face-set="staff"] [data-count]')?.textContent === String(n), stored);
    expect(await page.locator('#faces tbody tr').first().locator('.fields').textContent()).toBe('team=blue');
    // Each stored face is shown as its crop of the stored photo: the photo loads, scaled so that
    // the face's box (with its margin) fills the crop.
    await page.waitForFunction(
      (n: number) => {
        const imgs = [...document.querySelectorAll('#faces .face-crop img')] as HTMLImageElement[];
        return imgs.length === Math.min(n, 12) && imgs.every((i) => i.complete && i.naturalWidth > 0 && i.style.left !== '');
      },
      stored,
      { timeout: 60_000 },
    );
    const shown = await page.locator('#faces .face-crop img').first().evaluate((i: HTMLImageElement) => parseFloat(i.style.width));
    expect(shown).toBeGreaterThan(72); // the group photo overflows the 72 px crop: only the face shows
    await page.screenshot({ path: join(SHOTS, 'face-sets.png'), fullPage: true });

    // Edit a face's fields.
    const first = page.locator('#faces tbody tr').first();
    const faceId = await first.getAttribute('data-face');
    await first.getByRole('button', { name: /Edit/ }).click();
    await page.fill(`#edit-${faceId}-level`, '3');
    await page.locator(`#faces tr[data-face="${faceId}"]`).getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction((id: string) => document.querySelector(`#faces tr[data-face="${id}"] .fields`)?.textContent?.includes('level=3'), faceId!);

    // Search with the same photo: its largest face is found, with a similarity near 1 and its bar.
    await page.fill('#threshold', '0.9');
    await page.locator('#threshold').dispatchEvent('input');
    expect(await page.textContent('#threshold-value')).toBe('0.90');
    await page.setInputFiles('#face-search-file', group);
    await page.waitForSelector('#face-hits li', { timeout: 120_000 });
    const sims = (await textOf(page, '#face-hits .similarity')).map(Number);
    expect(sims[0]).toBeGreaterThan(0.9);
    expect(sims.every((x) => x >= 0.9)).toBe(true);
    expect(await page.locator('#face-hits li .external-id').first().textContent()).toBe('group-2');

    // Delete one face, then the set.
    await page.locator(`#faces tr[data-face="${faceId}"]`).getByRole('button', { name: /Delete/ }).click();
    await page.waitForFunction((n: number) => document.querySelector('.card[data-face-set="staff"] [data-count]')?.textContent === String(n - 1), stored);
    await page.locator('.card[data-face-set="staff"]').getByRole('button', { name: /Delete/ }).click();
    await page.waitForSelector('#face-sets .empty');
    await page.close();
  }, 480_000);

  it('models: train with live progress, metrics with a confusion-matrix heat map, publish, predict, switch the model version', async () => {
    const page = await signedIn();
    const session = await page.evaluate(() => JSON.parse(sessionStorage.getItem('iris.console.session')!));
    const api = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${stack.url}${path}`, { method, headers: { 'x-auth-token': session.iamToken, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return (await r.json()) as any;
    };
    const project = stack.credentials.projectId;
    const ds = await api('POST', `/v2/${project}/datasets`, { dataset_name: 'shapes', dataset_type: 0, data_sources: [{ data_path: '/b/in/' }], work_path: '/b/out/' });
    const samples = [];
    for (const label of SHAPE_LABELS) for (let i = 0; i < 6; i++) samples.push({ name: `${label}-${i}.png`, data: (await shapeImage(label, i)).toString('base64'), labels: [{ name: label, type: 0 }] });
    expect((await api('POST', `/v2/${project}/datasets/${ds.dataset_id}/data-annotations/samples`, { samples })).success).toBe(true);

    await page.click('nav a[data-page="models"]');
    await page.waitForSelector('#jobs .empty');
    const train = async (name: string) => {
      await page.fill('#job_name', name);
      await page.selectOption('#job_dataset', { label: 'shapes' });
      await page.fill('#job_model_name', 'shapes');
      await page.click('#create-job button[type=submit]');
      await page.waitForSelector(`#job-table tr[data-job="${name}"]`);
      await page.waitForFunction((n: string) => document.querySelector(`#job-table tr[data-job="${n}"] .status`)?.textContent === 'Completed', name, { timeout: 360_000, polling: 1000 });
    };
    await train('first');
    expect(await page.textContent('#job-table tr[data-job="first"] .progress-text')).toBe('100%');
    await page.locator('#job-table tr[data-job="first"]').getByRole('button', { name: /Metrics/ }).click();
    await page.waitForSelector('#confusion');
    expect(await page.locator('#confusion tbody td').count()).toBe(9);
    expect((await textOf(page, '#confusion thead th')).slice(1)).toEqual([...SHAPE_LABELS]);
    expect(await page.locator('#metrics .label-bar').count()).toBe(3);
    expect(await page.textContent('#metric-accuracy')).toMatch(/^\d+\.\d%$/);
    // The evaluation counts in the heat map add up to the evaluated samples.
    const cells = (await textOf(page, '#confusion tbody td')).map(Number);
    expect(cells.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // Publish the model and try predict.
    await page.waitForSelector('#model-table tr[data-model="shapes@0.0.1"]');
    await page.fill('#model-table tr[data-model="shapes@0.0.1"] input[name=service_name]', 'shapes-svc');
    await page.locator('#model-table tr[data-model="shapes@0.0.1"]').getByRole('button', { name: /Publish/ }).click();
    await page.waitForSelector('.service[data-service-name="shapes-svc"]');
    const square = join(files, 'square.png');
    await writeFile(square, await shapeImage('square', 11));
    const card = page.locator('.service[data-service-name="shapes-svc"]');
    await card.locator('input[type=file]').setInputFiles(square);
    await card.locator('.predicted').waitFor({ timeout: 120_000 });
    expect(await card.locator('.prediction .label-bar').count()).toBe(3);
    const probabilities = (await card.locator('.probability').allInnerTexts()).map((x) => parseFloat(x));
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeGreaterThan(99);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeLessThan(101);
    await page.screenshot({ path: join(SHOTS, 'models.png'), fullPage: true });

    // A second version, and the service switched to it.
    await train('second');
    await page.waitForSelector('#model-table tr[data-model="shapes@0.0.2"]');
    const second = await page.locator('.service[data-service-name="shapes-svc"] select option', { hasText: '0.0.2' }).getAttribute('value');
    await card.locator('select').selectOption(second!);
    await page.waitForFunction(() => document.querySelector('.service[data-service-name="shapes-svc"] .version')?.textContent === '0.0.2');
    await page.close();
  }, 900_000);

  it('cameras: a hard-example setting, uploads counted against its quota, recent uploads, the quota used up, reset', async () => {
    const page = await signedIn();
    const session = await page.evaluate(() => JSON.parse(sessionStorage.getItem('iris.console.session')!));
    const project = stack.credentials.projectId;
    const made = await fetch(`${stack.url}/v2/${project}/datasets`, {
      method: 'POST',
      headers: { 'x-auth-token': session.iamToken, 'content-type': 'application/json' },
      body: JSON.stringify({ dataset_name: 'gate_camera', dataset_type: 0, data_sources: [{ data_path: '/cam/in/' }], work_path: '/cam/out/' }),
    });
    expect(made.status).toBe(200);
    await page.click('nav a[data-page="cameras"]');
    await page.waitForSelector('#cameras .empty');
    await page.waitForSelector('#cfg-dataset option:has-text("gate_camera")', { state: 'attached' });
    await page.selectOption('#cfg-dataset', { label: 'gate_camera' });
    await page.fill('#cfg-device', 'gate-1');
    await page.fill('#cfg-cameras', 'north,south');
    await page.fill('#cfg-count', '2');
    await page.fill('#cfg-model', 'person');
    await page.click('#create-config button[type=submit]');
    const card = page.locator('.card[data-config="gate-1"]');
    await card.waitFor();
    expect(await card.locator('.quota').textContent()).toBe('0 / 2');
    const url = await card.locator('.upload-url').textContent();

    // Two frames from the device (the upload URL is its credential), then a third over the quota.
    const frame = (await libraryCopy(photo('bridge').path, 320)).toString('base64');
    const send = (index: number) =>
      fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ frame, format: 'jpeg', index, model_name: 'person', camera_name: 'north' }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    expect((await send(1)).body.success).toBe(true);
    expect((await send(2)).body.success).toBe(true);
    const refused = await send(3);
    expect(refused.body.error_code).toBe('ModelArts.0106');
    await page.reload();
    await card.waitFor();
    await page.waitForFunction(() => document.querySelector('.card[data-config="gate-1"] .quota')?.textContent === '2 / 2');
    await page.waitForFunction(() => document.querySelectorAll('.card[data-config="gate-1"] .recent li').length === 2);
    expect(await card.locator('.bad').textContent()).toMatch(/used up/);
    await page.screenshot({ path: join(SHOTS, 'cameras.png'), fullPage: true });
    await card.getByRole('button', { name: /Reset the count/ }).click();
    await page.waitForFunction(() => document.querySelector('.card[data-config="gate-1"] .quota')?.textContent === '0 / 2');
    await page.close();
  }, 300_000);
});
