/**
 * Public photographs installed from Debian packages (and one npm package), used by the image
 * search tests and bench/search.ts. CI installs the packages (see .ci/run):
 *
 *   ukui-wallpapers, lomiri-wallpapers-16.04, lomiri-wallpapers-20.04, mate-backgrounds,
 *   plasma-workspace-wallpapers      → /usr/share/backgrounds, /usr/share/wallpapers
 *   @vladmandic/face-api (npm, a dependency) → demo/sample1..6.jpg (group photos of people)
 *
 * Categories are hand labels by what the photo shows, for similar-search precision@k.
 * `graphics` are rendered wallpapers (not photographs): used only as extra library filler.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export type PhotoCategory = 'flowers' | 'greenery' | 'landscape' | 'water' | 'people' | 'objects' | 'other';

export interface Photo {
  name: string;
  path: string;
  category: PhotoCategory;
}

const BG = '/usr/share/backgrounds';
const MATE = `${BG}/mate/nature`;
const plasma = (name: string, file = '1920x1080.jpg') => `/usr/share/wallpapers/${name}/contents/images/${file}`;
const faceApi = (n: number) => join(process.cwd(), 'node_modules/@vladmandic/face-api/demo', `sample${n}.jpg`);

const LIST: Array<[string, string, PhotoCategory]> = [
  ['seeding', `${BG}/seeding_by_Clements_Engelhardt.jpg`, 'flowers'],
  ['fresh-flower', `${MATE}/FreshFlower.jpg`, 'flowers'],
  ['garden', `${MATE}/Garden.jpg`, 'flowers'],
  ['two-wings', `${MATE}/TwoWings.jpg`, 'flowers'],
  ['yellow-flower', `${MATE}/YellowFlower.jpg`, 'flowers'],
  ['lady-bird', `${MATE}/LadyBird.jpg`, 'flowers'],
  ['dragonfly', `${BG}/Dragonfly_by_Bolly.jpg`, 'greenery'],
  ['blinds', `${MATE}/Blinds.jpg`, 'greenery'],
  ['green-meadow', `${MATE}/GreenMeadow.jpg`, 'greenery'],
  ['rain-drops', `${MATE}/RainDrops.jpg`, 'greenery'],
  ['one-stands-out', plasma('OneStandsOut'), 'greenery'],
  ['path', plasma('Path'), 'greenery'],
  ['aitzgorri', `${BG}/aitzgorri_by_Aitzol_Berasategi.jpg`, 'landscape'],
  ['life', `${BG}/life_by_Aitzol_Berasategi.jpg`, 'landscape'],
  ['picos-de-europa', `${BG}/picosdeeuropa_by_Aitzol_Berasategi.jpg`, 'landscape'],
  ['sunset', `${BG}/sunset_by_Aitzol_Berasategi.jpg`, 'landscape'],
  ['dune', `${MATE}/Dune.jpg`, 'landscape'],
  ['bridge', `${BG}/Bridge_by_Sander_Klootwijk.jpg`, 'landscape'],
  ['storm', `${MATE}/Storm.jpg`, 'water'],
  ['by-the-water', plasma('BytheWater'), 'water'],
  ['cold-ripple', plasma('ColdRipple'), 'water'],
  ['darkest-hour', plasma('DarkestHour'), 'water'],
  ['evening-glow', plasma('EveningGlow'), 'water'],
  ['summer-1am', plasma('summer_1am'), 'water'],
  ['aqua', `${MATE}/Aqua.jpg`, 'water'],
  ['people-1', faceApi(1), 'people'],
  ['people-2', faceApi(2), 'people'],
  ['people-3', faceApi(3), 'people'],
  ['people-4', faceApi(4), 'people'],
  ['people-5', faceApi(5), 'people'],
  ['people-6', faceApi(6), 'people'],
  ['fig', `${BG}/Picture_0B_by_freespace.jpg`, 'objects'],
  ['brushes', `${BG}/Picture_1A_by_freespace.jpg`, 'objects'],
  ['wine', `${BG}/Wine_by_Jakkub_Mede.jpg`, 'objects'],
  ['free', `${BG}/free_by_Peter_Nerlich.jpg`, 'objects'],
  ['friends', `${BG}/friends_by_Aitzol_Berasategi.jpg`, 'objects'],
  ['greentock', `${BG}/greentock_by_Peter_Nerlich.jpg`, 'objects'],
  ['analog-pattern', `${BG}/analogpattern_by_Peter_Nerlich.jpg`, 'other'],
  ['infinite-sea', `${BG}/Infinite-Sea_by_Aury88.jpg`, 'other'],
  ['kleiber', `${BG}/Kleiber_by_Lukas_Baubkus.jpg`, 'other'],
  ['wood', `${MATE}/Wood.jpg`, 'other'],
  ['colorful-cups', plasma('ColorfulCups', '2560x1600.jpg'), 'other'],
  ['fallen-leaf', plasma('FallenLeaf'), 'other'],
  ['grey', plasma('Grey'), 'other'],
  ['kite', plasma('Kite'), 'other'],
  ['volna', plasma('Volna', '5120x2880.jpg'), 'other'],
];

/** Rendered (non-photographic) wallpapers from the same packages. */
const GRAPHICS: string[] = [
  `${BG}/Fossa_by_Jasper_Roks.jpg`,
  `${BG}/Painting-Colors_by__herobrine7gamer.jpg`,
  `${BG}/umang_by_Abhishek_Mudgal.jpg`,
  `${BG}/mate/abstract/Elephants.jpg`,
  plasma('Autumn'),
  plasma('PastelHills'),
  plasma('Altai', '5120x2880.png'),
  plasma('Canopee', '3840x2160.png'),
  plasma('Cascade', '3840x2160.png'),
  plasma('Cluster', '3840x2160.png'),
  plasma('Elarun', '2560x1600.png'),
  plasma('Flow', '720x1440.jpg'),
  plasma('FlyingKonqui', '1920x1080.png'),
  plasma('Honeywave', '5120x2880.jpg'),
  plasma('IceCold', '5120x2880.png'),
  plasma('Kay', '5120x2880.png'),
  plasma('Kokkini', '3840x2160.png'),
  plasma('MilkyWay', '5120x2880.png'),
  plasma('Opal', '3840x2160.png'),
  plasma('Patak', '5120x2880.png'),
  plasma('SafeLanding', '5120x2880.jpg'),
  plasma('Shell', '720x1440.jpg'),
];

export const PHOTOS: Photo[] = LIST.map(([name, path, category]) => ({ name, path, category }));
export const GRAPHIC_FILES: string[] = GRAPHICS;

/** The photos present on this machine (all of them once the packages above are installed). */
export const availablePhotos = (): Photo[] => PHOTOS.filter((p) => existsSync(p.path));
export const availableGraphics = (): string[] => GRAPHICS.filter((p) => existsSync(p));
export const photosInstalled = (): boolean => availablePhotos().length === PHOTOS.length;
export const photo = (name: string): Photo => {
  const p = PHOTOS.find((x) => x.name === name);
  if (!p) throw new Error(`no photo named ${name}`);
  return p;
};

/** The Debian packages the unit tests' photos come from (the benchmark uses all five above). */
export const TEST_PHOTO_PACKAGES = ['mate-backgrounds', 'lomiri-wallpapers-16.04'];

/** Fails with the install command when a named photo is missing (tests must not pass vacuously). */
export function requirePhotos(names: string[]): void {
  const missing = names.map(photo).filter((p) => !existsSync(p.path));
  if (missing.length) {
    throw new Error(
      `test photos missing (${missing.map((p) => p.path).join(', ')}): apt-get install ${TEST_PHOTO_PACKAGES.join(' ')}`,
    );
  }
}
