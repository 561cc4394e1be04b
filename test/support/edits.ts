/**
 * The 13 edits a user makes to a picture before searching for it (issue 11), made with sharp
 * from a library image's bytes. Used by bench/same-image.ts and the same-image unit tests.
 * `variant` varies the free parameters (which part a crop keeps, the rotation's sign, the
 * border's colour, where a collage puts the picture), so that one photo yields several distinct
 * queries; `fillers` are other pictures, the collage's other tiles.
 */
import sharp, { type Sharp } from 'sharp';

export type EditName =
  | 'resize-0.4'
  | 'jpeg-q15'
  | 'png'
  | 'bright-contrast'
  | 'greyscale'
  | 'caption'
  | 'crop-65'
  | 'crop-45'
  | 'mirror'
  | 'rotate-8'
  | 'border-15'
  | 'collage'
  | 'crop-jpeg-shrink';

export const PHOTOMETRIC: EditName[] = ['resize-0.4', 'jpeg-q15', 'png', 'bright-contrast', 'greyscale', 'caption'];
export const GEOMETRIC: EditName[] = ['crop-65', 'crop-45', 'mirror', 'rotate-8', 'border-15', 'collage', 'crop-jpeg-shrink'];
export const EDITS: EditName[] = [...PHOTOMETRIC, ...GEOMETRIC];

const jpeg = (s: Sharp, quality = 90) => s.jpeg({ quality }).toBuffer();

/** Where a crop of `share` of the area lies: centre, then the four corners, then the edge midpoints. */
function cropRect(w: number, h: number, share: number, variant: number) {
  const cw = Math.round(w * Math.sqrt(share));
  const ch = Math.round(h * Math.sqrt(share));
  const spots: Array<[number, number]> = [
    [0.5, 0.5],
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
    [0.5, 0],
    [0, 0.5],
    [1, 0.5],
  ];
  const [fx, fy] = spots[variant % spots.length];
  return { left: Math.round((w - cw) * fx), top: Math.round((h - ch) * fy), width: cw, height: ch };
}

function captionSvg(width: number, height: number, variant: number): Buffer {
  const band = Math.round(height * 0.14);
  const size = Math.round(band * 0.55);
  const texts = ['Summer 2026 — our trip', 'SALE 50 % OFF today', '© photo agency, all rights reserved', 'Look at this!'];
  const fill = variant % 2 ? '#ffffff' : '#111111';
  const ink = variant % 2 ? '#111111' : '#ffffff';
  return Buffer.from(
    `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
      `<rect x="0" y="${height - band}" width="${width}" height="${band}" fill="${fill}"/>` +
      `<text x="${Math.round(width * 0.03)}" y="${height - Math.round(band * 0.3)}" font-family="sans-serif" font-weight="bold" ` +
      `font-size="${size}" fill="${ink}">${texts[variant % texts.length]}</text></svg>`,
  );
}

/** Applies an edit to image bytes. */
export async function edit(bytes: Buffer, name: EditName, variant = 0, fillers: Buffer[] = []): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  const w = meta.width;
  const h = meta.height;
  switch (name) {
    case 'resize-0.4':
      return jpeg(sharp(bytes).resize(Math.max(16, Math.round(w * 0.4)), Math.max(16, Math.round(h * 0.4))));
    case 'jpeg-q15':
      return jpeg(sharp(bytes), 15);
    case 'png':
      return sharp(bytes).png().toBuffer();
    case 'bright-contrast':
      // brighter by 25 %, contrast ×1.3 around mid-grey
      return jpeg(sharp(bytes).modulate({ brightness: 1.25 }).linear(1.3, -0.3 * 128));
    case 'greyscale':
      return jpeg(sharp(bytes).greyscale());
    case 'caption':
      return jpeg(sharp(bytes).composite([{ input: captionSvg(w, h, variant), left: 0, top: 0 }]));
    case 'crop-65':
      return jpeg(sharp(bytes).extract(cropRect(w, h, 0.65, variant)));
    case 'crop-45':
      return jpeg(sharp(bytes).extract(cropRect(w, h, 0.45, variant)));
    case 'mirror':
      return jpeg(sharp(bytes).flop());
    case 'rotate-8': {
      const angle = variant % 2 ? -8 : 8;
      return jpeg(sharp(bytes).rotate(angle, { background: { r: 255, g: 255, b: 255 } }));
    }
    case 'border-15': {
      // a frame of 15 % of each side's length around the picture
      const colours = [
        { r: 255, g: 255, b: 255 },
        { r: 0, g: 0, b: 0 },
        { r: 200, g: 30, b: 30 },
        { r: 128, g: 128, b: 128 },
      ];
      const bx = Math.round(w * 0.15);
      const by = Math.round(h * 0.15);
      return jpeg(sharp(bytes).extend({ left: bx, right: bx, top: by, bottom: by, background: colours[variant % colours.length] }));
    }
    case 'collage': {
      // the picture at half its size in one quadrant of a canvas of its own size; other pictures in the others
      const hw = Math.floor(w / 2);
      const hh = Math.floor(h / 2);
      const tiles = await Promise.all(
        [bytes, ...fillers.slice(0, 3)].map((b) => sharp(b).resize(hw, hh, { fit: 'cover' }).removeAlpha().toBuffer()),
      );
      const spot = variant % 4;
      const at = (i: number) => ({ left: (i & 1) * hw, top: (i >> 1) * hh });
      const others = [0, 1, 2, 3].filter((i) => i !== spot);
      const composites = [{ input: tiles[0], ...at(spot) }, ...tiles.slice(1).map((input, i) => ({ input, ...at(others[i]) }))];
      return jpeg(sharp({ create: { width: 2 * hw, height: 2 * hh, channels: 3, background: { r: 240, g: 240, b: 240 } } }).composite(composites));
    }
    case 'crop-jpeg-shrink': {
      const cropped = await jpeg(sharp(bytes).extract(cropRect(w, h, 0.8, variant)), 40);
      const m = await sharp(cropped).metadata();
      return jpeg(sharp(cropped).resize(Math.round(m.width * 0.5), Math.round(m.height * 0.5)), 75);
    }
  }
}
