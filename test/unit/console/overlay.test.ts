/**
 * The console's hit overlay (console/src/overlay.ts): a same-image hit's `region` and a
 * product / similar hit's `subject` become SVG shapes in the stored image's pixel coordinates.
 * Fixture hits: the search API does not answer these fields on this branch yet.
 */
import { describe, expect, it } from 'vitest';
import { overlayOf } from '../../../console/src/overlay';

describe('overlayOf', () => {
  it('draws a region as a polygon in the stored image coordinates', () => {
    const o = overlayOf({ region: { points: [[10, 20], [310.25, 22], [300, 200], [12, 190]], width: 640, height: 480 } });
    expect(o).toEqual({ viewBox: '0 0 640 480', shapes: [{ kind: 'polygon', points: '10,20 310.3,22 300,200 12,190' }] });
  });

  it('draws a subject box, sized by the listed image when the hit has no size', () => {
    const o = overlayOf({ subject: { left: 5, top: 6, width: 100, height: 50 } }, { width: 800, height: 600 });
    expect(o).toEqual({ viewBox: '0 0 800 600', shapes: [{ kind: 'rect', x: 5, y: 6, width: 100, height: 50 }] });
  });

  it('draws nothing for a hit without geometry, or with broken geometry', () => {
    expect(overlayOf({}, { width: 10, height: 10 })).toBeNull();
    expect(overlayOf({ subject: { left: 1, top: 1, width: 0, height: 5 } }, { width: 10, height: 10 })).toBeNull();
    expect(overlayOf({ region: { points: [[1, 2]], width: 10, height: 10 } })).toBeNull();
    expect(overlayOf({ region: { points: [[1, NaN], [2, 2], [3, 3], [4, 4]] as any, width: 10, height: 10 } })).toBeNull();
    // A subject with no known image size cannot be placed.
    expect(overlayOf({ subject: { left: 1, top: 1, width: 5, height: 5 } })).toBeNull();
  });
});
