/**
 * A small deterministic SearchEngine for the image-search API tests (not a real matcher): an
 * 8x8 colour thumbnail, mean-centred and L2-normalised, stored as two parts ('full' and
 * 'mirror') so that hits are grouped per image. Scores are 1 - cosine distance; with a
 * `threshold`, candidates scoring below it are dropped (like the same-image engine).
 */
import sharp from 'sharp';
import type { DecodedImage } from '../../lib/images';
import type { Candidate, Description, LibraryKind, Match, SearchEngine } from '../../lib/search/engine';

async function thumbnail(image: DecodedImage, mirror: boolean): Promise<number[]> {
  const { data, width, height } = await image.rgb({ width: 8, height: 8, fit: 'fill' });
  let pixels: Buffer = data;
  if (mirror) {
    const out = Buffer.alloc(data.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < 3; c++) out[(y * width + (width - 1 - x)) * 3 + c] = data[(y * width + x) * 3 + c];
    pixels = out;
  }
  const v = Array.from(pixels, (b) => b / 255);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const centred = v.map((x) => x - mean);
  const norm = Math.hypot(...centred) || 1;
  return centred.map((x) => x / norm);
}

export interface TestEngineOptions {
  threshold?: number;
  /** Make describe() throw, to test failures mid-add. */
  failDescribe?: boolean;
}

export function testEngine(kind: LibraryKind, opts: TestEngineOptions = {}): SearchEngine & { describeCalls: number } {
  const engine = {
    kind,
    dimension: 192,
    metric: 'cosine' as const,
    candidatePool: 50,
    describeCalls: 0,
    async describe(image: DecodedImage): Promise<Description> {
      engine.describeCalls++;
      if (opts.failDescribe) throw new Error('engine failure');
      return {
        vectors: [
          { part: 'full', vector: await thumbnail(image, false) },
          { part: 'mirror', vector: await thumbnail(image, true) },
        ],
        sidecar: Buffer.from(`${image.width}x${image.height}`),
      };
    },
    async describeQuery(image: DecodedImage): Promise<Description> {
      return { vectors: [{ part: 'full', vector: await thumbnail(image, false) }] };
    },
    async rank(_q: { image: DecodedImage; description: Description }, candidates: Candidate[], loadSidecar: (id: string) => Promise<Buffer | null>): Promise<Match[]> {
      const out: Match[] = [];
      for (const c of candidates) {
        const score = 1 - c.distance;
        if (opts.threshold !== undefined && score < opts.threshold) continue;
        // Exercise the sidecar path the way a verifying engine does.
        if (opts.threshold !== undefined && !(await loadSidecar(c.id))) continue;
        out.push({ id: c.id, score });
      }
      return out.sort((a, b) => b.score - a.score);
    },
  };
  return engine;
}

/** A photograph-like test image: seeded random blocks, so every seed gives a different picture. */
export async function testImage(seed: number, opts: { width?: number; height?: number; format?: 'jpeg' | 'png' } = {}): Promise<Buffer> {
  const width = opts.width ?? 320;
  const height = opts.height ?? 320;
  let s = seed * 2654435761 + 1;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 0x1_0000_0000);
  const grid = 6;
  const cells = Buffer.alloc(grid * grid * 3);
  for (let i = 0; i < cells.length; i++) cells[i] = Math.floor(rand() * 256);
  const img = sharp(cells, { raw: { width: grid, height: grid, channels: 3 } }).resize(width, height, { kernel: 'nearest' });
  return opts.format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 90 }).toBuffer();
}
