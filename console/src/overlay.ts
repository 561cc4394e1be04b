/**
 * Where a search hit sits in the stored image it matched, as SVG shapes in that image's pixel
 * coordinates (drawn over its thumbnail with a viewBox of the image's size):
 *   - same-image hits may carry `region`: the query's quadrilateral found by geometric
 *     verification, `{points: [[x,y]×4], width, height}` (width/height of the stored image);
 *   - product / similar hits may carry `subject`: the detected subject's box `{left, top, width, height}`.
 */
export interface Region {
  points: Array<[number, number]>;
  width: number;
  height: number;
}
export interface Subject {
  left: number;
  top: number;
  width: number;
  height: number;
}
export interface HitGeometry {
  region?: Region;
  subject?: Subject;
}

export type Shape = { kind: 'polygon'; points: string } | { kind: 'rect'; x: number; y: number; width: number; height: number };

export interface Overlay {
  viewBox: string;
  shapes: Shape[];
}

const finite = (...n: unknown[]) => n.every((x) => typeof x === 'number' && Number.isFinite(x));

/** The overlay of a hit, or null when it carries no usable geometry. `size` is the stored image's size when known. */
export function overlayOf(hit: HitGeometry, size?: { width?: number; height?: number }): Overlay | null {
  const shapes: Shape[] = [];
  let width = size?.width;
  let height = size?.height;
  const r = hit.region;
  if (r && Array.isArray(r.points) && r.points.length >= 3 && r.points.every((p) => Array.isArray(p) && finite(p[0], p[1]))) {
    if (finite(r.width, r.height) && r.width > 0 && r.height > 0) {
      width = r.width;
      height = r.height;
    }
    shapes.push({ kind: 'polygon', points: r.points.map(([x, y]) => `${round(x)},${round(y)}`).join(' ') });
  }
  const s = hit.subject;
  if (s && finite(s.left, s.top, s.width, s.height) && s.width > 0 && s.height > 0) {
    shapes.push({ kind: 'rect', x: round(s.left), y: round(s.top), width: round(s.width), height: round(s.height) });
  }
  if (shapes.length === 0 || !width || !height) return null;
  return { viewBox: `0 0 ${width} ${height}`, shapes };
}

const round = (n: number) => Math.round(n * 10) / 10;
