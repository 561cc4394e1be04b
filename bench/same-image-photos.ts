/**
 * The two photo pools of the same-image benchmark (bench/same-image.ts), decided once, here:
 *
 * - TUNING: every photograph that this repository's tests and benchmarks already name
 *   (test/support/photos.ts: mate-backgrounds, lomiri-wallpapers-16.04/-20.04,
 *   plasma-workspace-wallpapers and the face-api demo photos). The engine's constants are tuned
 *   and its thresholds calibrated on these only.
 * - HELD_OUT: photographs from two Debian packages that nothing else in the repository uses —
 *   `opencv-doc` (the sample images of OpenCV's examples, /usr/share/doc/opencv-doc/examples;
 *   OpenCV's licence, Apache 2.0) and `python3-skimage` (scikit-image's sample data, public
 *   domain / CC0 / CC-BY as listed in skimage/data/__init__.py). Only photographs: drawings,
 *   rendered shapes and charts are left out, and of each stereo or exposure pair (aloe L/R,
 *   Leuven A/B, aero 1/3, motorcycle L/R, box / box_in_scene) only one image is taken, since the
 *   other is a different photograph of the same scene. Which of them are indexed and which are
 *   never-indexed distractors is fixed by a hash of the name (`isDistractor`), not chosen.
 *
 * Install: apt-get install --no-install-recommends opencv-doc python3-skimage (plus the packages
 * of test/support/photos.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availablePhotos } from '../test/support/photos';

export interface PoolPhoto {
  name: string;
  path: string;
}

const CV = '/usr/share/doc/opencv-doc/examples';
const SK = '/usr/lib/python3/dist-packages/skimage/data';

const HELD_OUT_FILES: string[] = [
  ...['aero1', 'aloeL', 'apple', 'baboon', 'board', 'building', 'butterfly', 'ela_original', 'fruits', 'home', 'leuvenA', 'licenseplate_motion', 'messi5', 'orange', 'squirrel_cls', 'stuff'].map(
    (n) => `${CV}/data/${n}.jpg`,
  ),
  ...['basketball1', 'box_in_scene', 'chicky_512', 'graf1', 'rubberwhale1', 'sudoku'].map((n) => `${CV}/data/${n}.png`),
  `${CV}/alphamat/input_images/plant.jpg`,
  ...[1, 2, 3, 4, 5, 6].map((i) => `${CV}/text/scenetext0${i}.jpg`),
  ...['astronaut', 'camera', 'chelsea', 'coffee', 'coins', 'grass', 'gravel', 'brick', 'ihc', 'motorcycle_left', 'moon'].map((n) => `${SK}/${n}.png`),
  ...['hubble_deep_field', 'retina', 'rocket'].map((n) => `${SK}/${n}.jpg`),
];

/** The tuning pool's distractors: the never-indexed photos of bench/search.ts. */
export const TUNING_DISTRACTORS = ['two-wings', 'lady-bird', 'rain-drops', 'path', 'sunset', 'bridge', 'darkest-hour', 'summer-1am', 'people-5', 'people-6', 'friends', 'fallen-leaf'];

const nameOf = (path: string) => `${path.includes('/skimage/') ? 'sk' : 'cv'}-${path.split('/').pop()!.replace(/\.[a-z]+$/, '')}`;

/** About a third of the held-out photos, chosen by the first byte of sha256(name). */
export const isDistractor = (name: string): boolean => createHash('sha256').update(name).digest()[0] < 86;

export interface Pool {
  members: PoolPhoto[];
  distractors: PoolPhoto[];
  missing: string[];
}

export function tuningPool(): Pool {
  const all = availablePhotos();
  return {
    members: all.filter((p) => !TUNING_DISTRACTORS.includes(p.name)).map(({ name, path }) => ({ name, path })),
    distractors: all.filter((p) => TUNING_DISTRACTORS.includes(p.name)).map(({ name, path }) => ({ name, path })),
    missing: [],
  };
}

export function heldOutPool(): Pool {
  const present = HELD_OUT_FILES.filter((p) => existsSync(p)).map((path) => ({ name: nameOf(path), path }));
  return {
    members: present.filter((p) => !isDistractor(p.name)),
    distractors: present.filter((p) => isDistractor(p.name)),
    missing: HELD_OUT_FILES.filter((p) => !existsSync(p)),
  };
}
