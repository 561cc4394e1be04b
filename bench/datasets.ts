/**
 * Datasets and hard examples benchmark → BENCHMARKS.md "## Datasets and hard examples".
 *
 *   npx tsx bench/datasets.ts [--samples 100000]
 *
 * Runs against in-process dynalite + s3rver (test/support/services.ts), calling the Lambda
 * handlers with real API Gateway v2 events (the local stack's ports belong to other people):
 *  1. add samples in batches: 100 samples of ~100 KB per request;
 *  2. NV21 1920×1080 → JPEG (lib/images/nv21.ts), target ≤ 50 ms;
 *  3. list samples with a filter in a dataset of 100,000 samples, target p50 ≤ 50 ms — a Query of
 *     a GSI partition (no Scan: the MetadataStore port has no scan at all).
 */
import { writeBenchmarkSection } from './report';
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { arch, cpus, loadavg } from 'node:os';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { main as addSamples } from '../functions/datasets/add-samples/handler';
import { main as createDataset } from '../functions/datasets/create-dataset/handler';
import { main as listSamples } from '../functions/datasets/list-samples/handler';
import { sampleIdOf, sampleRecords, type StoredSample } from '../lib/datasets/samples';
import { nv21ToJpeg, nv21ToRgb, rgbToNv21 } from '../lib/images/nv21';
import { dynamoClient } from '../lib/store/aws-clients';
import { datasetKeys } from '../lib/store/keys';
import { call } from '../test/support/http';
import { startServices } from '../test/support/services';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N_SAMPLES = arg('samples', 100_000);
const LABELS = ['cat', 'dog', 'bird', 'car', 'person', 'bike', 'tree', 'boat', 'cup', 'chair'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
};

/** A noise JPEG of about `bytes` bytes (noise does not compress, so size tracks pixels). */
async function jpegOfSize(bytes: number, seed: number): Promise<Buffer> {
  const encode = (side: number) => {
    const raw = randomBytes(side * side * 3);
    raw[0] = seed & 255;
    return sharp(raw, { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 75 }).toBuffer();
  };
  const probe = await encode(128);
  return encode(Math.round(128 * Math.sqrt(bytes / probe.length)));
}

/** A camera-like 1920×1080 frame: gradients plus sensor noise. */
function cameraFrame(width: number, height: number): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  const noise = randomBytes(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const n = (noise[i] & 15) - 8;
      rgb[i * 3] = Math.max(0, Math.min(255, ((x * 255) / width + n) | 0));
      rgb[i * 3 + 1] = Math.max(0, Math.min(255, ((y * 255) / height + n) | 0));
      rgb[i * 3 + 2] = Math.max(0, Math.min(255, (((x + y) * 128) / (width + height) + 64 + n) | 0));
    }
  }
  return rgb;
}

async function main() {
  const loadAtStart = loadavg()[0];
  const env = await startServices();
  const p = await env.project('bench');
  const headers = { 'x-auth-token': p.token };
  const mkDataset = async (name: string) =>
    (
      await call(createDataset, {
        pathParameters: { project_id: p.projectId },
        headers,
        json: { dataset_name: name, dataset_type: 0, data_sources: [{ data_path: '/bench/in/' }], work_path: `/bench/${name}/` },
      })
    ).body.dataset_id as string;
  const lines: string[] = [];

  // 2. NV21 1920×1080 → JPEG (run first: it is the step most sensitive to other load on the shared cores).
  const W = 1920, H = 1080;
  const frame = rgbToNv21(cameraFrame(W, H), W, H);
  const convert: number[] = [], full: number[] = [];
  let jpegBytes = 0;
  for (let i = 0; i < 55; i++) {
    const t0 = performance.now();
    nv21ToRgb(frame, W, H);
    convert.push(performance.now() - t0);
    const [t, jpeg] = await time(() => nv21ToJpeg(frame, W, H));
    full.push(t);
    jpegBytes = jpeg.length;
  }
  const warm = (xs: number[]) => xs.slice(5);
  const loadAtNv21 = loadavg()[0];
  console.log('nv21', pct(warm(convert), 50), pct(warm(full), 50));

  // 1. Batch add: 100 × 100 KB.
  const addDs = await mkDataset('bench_add');
  const images = await Promise.all(Array.from({ length: 100 }, (_, i) => jpegOfSize(100 * 1024, i)));
  const avgKb = images.reduce((a, b) => a + b.length, 0) / images.length / 1024;
  // 100 × 100 KB in base64 is 13.3 MB, over API Gateway's 10 MB payload limit (enforced by the
  // body parser too): the base64 path sends two requests of 50; the data_source path sends the
  // 100 samples in one request, referencing objects already in the bucket.
  const addTimes: number[] = [];
  const refTimes: number[] = [];
  const send = async (json: unknown) => {
    const r = await call(addSamples, { pathParameters: { project_id: p.projectId, dataset_id: addDs }, headers, json });
    if (!r.body.success) throw new Error(`batch add failed: ${JSON.stringify(r.body)}`.slice(0, 500));
  };
  for (let run = 0; run < 5; run++) {
    const samples = images.map((img, i) => ({ name: `r${run}/img${i}.jpg`, data: img.toString('base64'), labels: [{ name: LABELS[i % 10], type: 0 }] }));
    const [t] = await time(async () => {
      await send({ samples: samples.slice(0, 50) });
      await send({ samples: samples.slice(50) });
    });
    addTimes.push(t);
    await Promise.all(images.map((img, i) => env.stores.objects.put(`data/${p.projectId}/bench/in/r${run}/img${i}.jpg`, img, { contentType: 'image/jpeg' })));
    const refs = images.map((_, i) => ({ data_source: { data_type: 0, data_path: `/bench/in/r${run}/img${i}.jpg` }, labels: [{ name: LABELS[i % 10], type: 0 }] }));
    const [tr] = await time(() => send({ samples: refs }));
    refTimes.push(tr);
  }
  const addP50 = pct(addTimes, 50);
  const refP50 = pct(refTimes, 50);
  console.log('batch add p50', addP50, refP50);

  // 3. List samples at N samples. Loaded with the exact items commitSample writes (sampleRecords),
  // through BatchWriteItem, because N transactions through the API would take most of an hour.
  const listDs = await mkDataset('bench_list');
  const ddb = dynamoClient();
  const counters: Record<string, number> = {};
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  let pending: Record<string, unknown>[] = [];
  const flush = async () => {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < pending.length; i += 25) chunks.push(pending.slice(i, i + 25));
    pending = [];
    await Promise.all(
      chunks.map(async (chunk) => {
        let items = chunk;
        while (items.length) {
          const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [env.table]: items.map((Item) => ({ PutRequest: { Item } })) } }));
          items = (out.UnprocessedItems?.[env.table] ?? []).map((r) => r.PutRequest!.Item as Record<string, unknown>);
        }
      }),
    );
  };
  const loadStart = performance.now();
  for (let i = 0; i < N_SAMPLES; i++) {
    const path = `/bench/bench_list/dataset-${listDs}/samples/${i}.jpg`;
    // 60 % labelled, with 6 labels of 10 % each; 5 % hard.
    const labels = i % 10 < 6 ? [{ name: LABELS[i % LABELS.length], type: 0 as const, score: (i % 100) / 100 }] : [];
    const s: StoredSample = {
      datasetId: listDs,
      sampleId: sampleIdOf(listDs, path),
      path,
      objectKey: `data/${p.projectId}${path}`,
      owned: true,
      size: 100 * 1024,
      sampleType: 0,
      state: labels.length ? '__ALL__' : '__NONE__',
      labels,
      metadata: i % 20 === 0 ? { '@modelarts:hard': 1, '@modelarts:hard_reasons': [1] } : {},
      time: new Date(t0 + i * 1000).toISOString(),
      version: 1,
    };
    const rec = sampleRecords(s);
    pending.push(...rec.items);
    for (const [k, v] of Object.entries(rec.counters)) counters[k] = (counters[k] ?? 0) + v;
    if (pending.length >= 25 * 16) await flush();
    if (i % 10_000 === 0) console.log('loaded', i, `${((performance.now() - loadStart) / 1000).toFixed(0)} s`);
  }
  await flush();
  await env.stores.metadata.update(datasetKeys.stats(listDs), { add: counters });
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const listCase = async (label: string, query: Record<string, string>, runs = 40) => {
    const times: number[] = [];
    let count = 0, returned = 0;
    for (let i = 0; i < runs + 5; i++) {
      const [t, r] = await time(() => call(listSamples, { method: 'GET', pathParameters: { project_id: p.projectId, dataset_id: listDs }, headers, query }));
      if (r.status !== 200) throw new Error(JSON.stringify(r.body));
      if (i >= 5) times.push(t);
      count = r.body.sample_count;
      returned = r.body.samples.length;
    }
    return { label, query, p50: pct(times, 50), p95: pct(times, 95), count, returned };
  };
  const cases = [
    await listCase('label_name=dog', { label_name: 'dog', limit: '10' }),
    await listCase('sample_state=__NONE__', { sample_state: '__NONE__', limit: '10' }),
    await listCase('only_hard=true', { only_hard: 'true', limit: '100' }),
    await listCase('label_name=dog, limit 100', { label_name: 'dog', limit: '100' }),
    await listCase('no filter, offset 50 (page 51 of 10)', { offset: '50', limit: '10' }),
    await listCase('label_name=dog + low_score=0.5 (post-filter, counted over the partition)', { label_name: 'dog', low_score: '0.5' }, 5),
  ];
  for (const c of cases) console.log(c.label, c.p50, c.p95, c.count);

  const date = new Date().toISOString().slice(0, 10);
  lines.push(
    '## Datasets and hard examples',
    '',
    `Machine: ${arch() === 'x64' ? 'x86_64' : arch()} (\`uname -m\`: ${execSync('uname -m').toString().trim()}), ${cpus().length} cores shared with other work (1-minute load average ${loadAtStart.toFixed(1)} at the start, ${loadAtNv21.toFixed(1)} at the NV21 step, ${loadavg()[0].toFixed(1)} at the end), Node ${process.versions.node}; ${date}.`,
    'Measured by `npx tsx bench/datasets.ts` against in-process dynalite + s3rver, calling the Lambda handlers with',
    'real API Gateway v2 events (body parsing, auth, validation and the envelope included; no network hop).',
    '',
    '### Add samples in batches (ModelArts "Adding Samples in Batches")',
    '',
    `| what | value |`,
    `| --- | ---: |`,
    `| samples | 100 JPEGs of ${avgKb.toFixed(0)} KB, one classification label each |`,
    `| \`data\` (base64): 100 samples as 2 requests of 50, p50 of 5 | ${ms(addP50)} (${ms(addP50 / 100)} per sample) |`,
    `| \`data\` (base64): slowest of 5 | ${ms(Math.max(...addTimes))} |`,
    `| \`data_source\` (objects already in the bucket): 100 samples in 1 request, p50 of 5 | ${ms(refP50)} (${ms(refP50 / 100)} per sample) |`,
    '',
    `100 × ${avgKb.toFixed(0)} KB in base64 is ${((images.reduce((a, b) => a + b.length, 0) * 4) / 3 / 1024 / 1024).toFixed(1)} MB, over API Gateway's 10 MB payload limit (the body parser enforces it`,
    'locally too), so one request cannot carry them: clients send ≤ 70 such samples per request, or upload the',
    'files to the bucket and add them by `data_source`.',
    'Each sample: base64 decode, S3 PUT (s3rver), a consistent read and one conditional transaction',
    '(sample item + facet items + counters; dynalite has no TransactWriteItems, so the store emulates it with',
    'single-item writes — AWS does it in one round trip). 8 samples in flight per request.',
    '',
    '### NV21 → JPEG (hard-example upload)',
    '',
    `| what | min | p50 | p95 |`,
    `| --- | ---: | ---: | ---: |`,
    `| NV21 1920×1080 → RGB (BT.601, lib/images/nv21.ts) | ${ms(Math.min(...warm(convert)))} | ${ms(pct(warm(convert), 50))} | ${ms(pct(warm(convert), 95))} |`,
    `| NV21 1920×1080 → JPEG q90, no Huffman optimisation (conversion + sharp encode, ${(jpegBytes / 1024).toFixed(0)} KB) | ${ms(Math.min(...warm(full)))} | ${ms(pct(warm(full), 50))} | ${ms(pct(warm(full), 95))} |`,
    '',
    `Target ≤ 50 ms: ${pct(warm(full), 50) <= 50 ? 'met' : `missed by ${ms(pct(warm(full), 50) - 50)} at p50 (the min shows the unloaded cost; the 2 cores are shared)`} (50 runs after 5 warm-ups, camera-like frame: gradients + noise).`,
    '',
    `### List samples at ${N_SAMPLES.toLocaleString('en-US')} samples`,
    '',
    `Dataset loaded with the exact items a committed sample consists of (sample + facets, counters) in ${loadSeconds.toFixed(0)} s;`,
    '60 % labelled (6 labels, 10 % each), 5 % hard. Every list is a DynamoDB **Query** of one GSI partition',
    '(label name → facet partition on gsi1 + BatchGet of the page; state → gsi2; hard → sparse gsi3), never a Scan;',
    '`sample_count` comes from the dataset\'s counters item when one key-served filter is used.',
    '',
    '| filter | p50 | p95 | sample_count | returned |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...cases.map((c) => `| ${c.label} | ${ms(c.p50)} | ${ms(c.p95)} | ${c.count.toLocaleString('en-US')} | ${c.returned} |`),
    '',
    `Target p50 ≤ 50 ms with a filter: ${cases[0].p50 <= 50 ? 'met' : `missed by ${ms(cases[0].p50 - 50)}`} (label_name, first page of 10).`,
    'A filter combined with a score range (or two key-served filters) reads the chosen partition to count, so its',
    'cost grows with that partition (last row); deep `offset`s read the pages before them.',
    '',
  );

  const section = writeBenchmarkSection('## Datasets and hard examples', lines);
  console.log(section);
  await env.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
