/**
 * Query transforms for same-image tests and the search benchmark, all made with sharp from a
 * library image's bytes. Names follow the targets in issue 3.
 */
import sharp, { type Sharp } from 'sharp';

export type TransformName =
  | 'resize-half'
  | 'jpeg-q20'
  | 'brightness-1.4'
  | 'greyscale'
  | 'watermark'
  | 'crop-centre-70'
  | 'mirror'
  | 'rotate-10'
  | 'corner-50';

export const TRANSFORMS: TransformName[] = [
  'resize-half',
  'jpeg-q20',
  'brightness-1.4',
  'greyscale',
  'watermark',
  'crop-centre-70',
  'mirror',
  'rotate-10',
  'corner-50',
];

const jpeg = (s: Sharp, quality = 90) => s.jpeg({ quality }).toBuffer();

function watermarkSvg(width: number, height: number): Buffer {
  const size = Math.round(height / 12);
  return Buffer.from(
    `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
      `<text x="${Math.round(width * 0.04)}" y="${Math.round(height * 0.92)}" font-family="sans-serif" font-weight="bold" ` +
      `font-size="${size}" fill="white" fill-opacity="0.85" stroke="black" stroke-width="2">© Iris sample 2026</text>` +
      `<text x="${Math.round(width * 0.55)}" y="${Math.round(height * 0.12)}" font-family="sans-serif" ` +
      `font-size="${Math.round(size * 0.7)}" fill="yellow" fill-opacity="0.8">watermark</text></svg>`,
  );
}

/**
 * Applies a transform. `variant` picks which corner a corner crop keeps (0 tl, 1 tr, 2 bl, 3 br),
 * so a benchmark can spread corner crops over all four.
 */
export async function transform(bytes: Buffer, name: TransformName, variant = 0): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  const w = meta.width;
  const h = meta.height;
  switch (name) {
    case 'resize-half':
      return jpeg(sharp(bytes).resize(Math.round(w / 2), Math.round(h / 2)));
    case 'jpeg-q20':
      return jpeg(sharp(bytes), 20);
    case 'brightness-1.4':
      return jpeg(sharp(bytes).modulate({ brightness: 1.4 }));
    case 'greyscale':
      return jpeg(sharp(bytes).greyscale());
    case 'watermark':
      return jpeg(sharp(bytes).composite([{ input: watermarkSvg(w, h), left: 0, top: 0 }]));
    case 'crop-centre-70': {
      const cw = Math.round(w * 0.7);
      const ch = Math.round(h * 0.7);
      return jpeg(sharp(bytes).extract({ left: Math.round((w - cw) / 2), top: Math.round((h - ch) / 2), width: cw, height: ch }));
    }
    case 'mirror':
      return jpeg(sharp(bytes).flop());
    case 'rotate-10':
      return jpeg(sharp(bytes).rotate(10, { background: { r: 0, g: 0, b: 0 } }));
    case 'corner-50': {
      const cw = Math.round(w * Math.SQRT1_2);
      const ch = Math.round(h * Math.SQRT1_2);
      const left = variant & 1 ? w - cw : 0;
      const top = variant & 2 ? h - ch : 0;
      return jpeg(sharp(bytes).extract({ left, top, width: cw, height: ch }));
    }
  }
}

/** A library copy of a source photo: longest side `side` px, JPEG quality 90. */
export function libraryCopy(path: string, side = 1280): Promise<Buffer> {
  return sharp(path).rotate().resize(side, side, { fit: 'inside', withoutEnlargement: true }).removeAlpha().jpeg({ quality: 90 }).toBuffer();
}
