/**
 * Small labelled images for classification tests: one shape and colour per label on a light
 * background, varied per sample (position, size, background tint) so no two are identical.
 */
import sharp from 'sharp';

export const SHAPE_LABELS = ['circle', 'square', 'triangle'] as const;
export type ShapeLabel = (typeof SHAPE_LABELS)[number];

const COLOURS: Record<ShapeLabel, string> = { circle: '#d02020', square: '#20a040', triangle: '#2040d0' };

export function shapeSvg(label: ShapeLabel, i: number, size = 96, colour?: string): string {
  const r = 18 + ((i * 7) % 14);
  const cx = 30 + ((i * 13) % 36);
  const cy = 30 + ((i * 17) % 36);
  const bg = 225 + ((i * 11) % 30);
  const fill = colour ?? COLOURS[label];
  const shape =
    label === 'circle'
      ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`
      : label === 'square'
        ? `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${2 * r}" fill="${fill}"/>`
        : `<polygon points="${cx},${cy - r} ${cx - r},${cy + r} ${cx + r},${cy + r}" fill="${fill}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="rgb(${bg},${bg},${bg - 10})"/>${shape}</svg>`;
}

export const shapeImage = (label: ShapeLabel, i: number, format: 'png' | 'jpeg' = 'png', size = 96, colour?: string): Promise<Buffer> =>
  sharp(Buffer.from(shapeSvg(label, i, size, colour)))[format]().toBuffer();

/** Half one shape, half another: an image a classifier should be unsure about. */
export async function blendImage(a: ShapeLabel, b: ShapeLabel, i: number): Promise<Buffer> {
  const left = await sharp(Buffer.from(shapeSvg(a, i))).extract({ left: 0, top: 0, width: 48, height: 96 }).png().toBuffer();
  const right = await sharp(Buffer.from(shapeSvg(b, i + 1))).extract({ left: 48, top: 0, width: 48, height: 96 }).png().toBuffer();
  return sharp({ create: { width: 96, height: 96, channels: 3, background: '#ffffff' } })
    .composite([{ input: left, left: 0, top: 0 }, { input: right, left: 48, top: 0 }])
    .png()
    .toBuffer();
}
