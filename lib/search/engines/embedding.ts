/**
 * Ranking engine on CNN embeddings (similar, product): every stored image is a candidate;
 * nothing is dropped. Score = 1 - cosine distance, clamped to [0, 1] (the backbone's pooled ReLU
 * features are non-negative, so cosine distance stays in [0, 1]).
 *
 * With subjects on (the similar and product kinds), an image is described by two views of its
 * main subject (lib/vision/subject.ts): a square crop around the COCO detector's best box
 * ('detected'; the whole picture when it finds nothing) and one around the border model's
 * foreground box ('foreground'). Added images and queries get the same two views; a stored
 * image's distance is its best over the view pairs (what the vector search gives for several
 * query vectors against several rows per image). Chosen on the tuning stamps (bench/similar-
 * explore.ts): of the variants tried this pair was best in context, and the whole picture as a
 * view, GrabCut cut-outs and colour fusion were not better. The subject's box (GrabCut-refined)
 * is returned with the description: the API stores it with the image and reports it with each
 * result, and the query's at the response's top level, for a console to draw.
 *
 * Same item first (SAME_ITEM): an embedding ranks things that look alike, but a shopper who
 * photographs a product wants that product first, and the embedding ranks it first only about
 * one time in three in a scene (BENCHMARKS.md). So each added image also stores its ORB
 * keypoints (the sidecar), and a query's subject crop is matched to the nearest candidates'
 * keypoints with a RANSAC similarity fit, as the same-image engine verifies: candidates with
 * enough geometrically consistent matches are the photographed item itself and rank first (by
 * their inliers, scored 0.9–1); the others follow in embedding order, scored 0.9 × their cosine
 * similarity. An image stored before sidecars existed is simply not verified. When none of the
 * nearest is the item, the stored pictures that share most of the query's keypoints — found by
 * their bags of visual words (lib/vision/visual-words.ts), a row of their own in the table — are
 * matched too: the item, small in a busy scene, is often far from the query by embedding.
 */
import type { DecodedImage } from '../../images';
import type { Embedder, RgbImage } from '../../vision/embedder';
import { decodeFeatures, encodeFeatures, featureCount, fitSimilarity, matchFeatures, orbFeatures, type LocalFeatures } from '../../vision/local-features';
import { cropRgb, resizeRgb, toGrey, type Rect } from '../../vision/pixels';
import { findSubject, scaleRect, squareAround, type BoxDetector } from '../../vision/subject';
import { classProfile, type ClassMap, type Detector } from '../../vision/detector';
import { featureBag, orbVocabulary } from '../../vision/visual-words';
import { WORDS_PART, type Candidate, type Description, type LibraryKind, type Match, type QueryHint, type SearchEngine } from '../engine';

export const similarityScore = (distance: number): number => Math.min(1, Math.max(0, 1 - distance));

export async function embedWhole(embedder: Embedder, image: DecodedImage): Promise<Float32Array> {
  const s = embedder.inputSize;
  return embedder.embed(await image.rgb({ width: s, height: s, fit: 'fill' }));
}

/** Best candidate per item id (the API already groups, but rank must not depend on it). */
export function bestPerItem(candidates: Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const b = best.get(c.id);
    if (!b || c.distance < b.distance) best.set(c.id, c);
  }
  return [...best.values()];
}

/** Longest side (px) of the picture the subject is found in and cut from. */
export const SUBJECT_WORK_SIDE = 480;
/** Margin around the subject in its (square) crop, as a fraction of the subject's size. */
export const SUBJECT_MARGIN = 0.08;

/**
 * The same-item check of the similar / product engines, calibrated on the tuning stamps
 * (bench/similar-verify.ts, BENCHMARKS.md "Tuning choices for similar and product search"): with
 * 500 keypoints per picture the highest inlier count of a wrong item among the 30 nearest was 20
 * there — euro coins that share their design, never ranked first —, of any other wrong item 8;
 * the right item had a median of 41. 800 keypoints found 3 points more of the right items first
 * but cost 2.5 times the matching time.
 */
export interface SameItemCheck {
  /** Nearest candidates (by embedding) whose keypoints are matched to the query's. */
  candidates: number;
  /** Consistent matches from which a candidate is the same item (score 0.9). */
  minInliers: number;
  /**
   * Consistent matches at which the score reaches 1; the first candidate that reaches it ends the
   * check (the candidates after it keep their embedding order).
   */
  fullInliers: number;
  /** ORB keypoints per picture (stored image: the whole picture; query: its subject crop). */
  features: number;
  /** Longest side (px) of the picture keypoints are taken from. */
  side: number;
  /** RANSAC tolerance, fraction of the stored picture's longer side. */
  tolerance: number;
  /**
   * Stored pictures nearest to the query's bags of visual words (its whole picture's keypoints
   * and its subject crop's) that are matched too when none of the `candidates` is the item; 0: no
   * bags are stored or searched.
   */
  wordCandidates: number;
}

/**
 * On the tuning stamps, in context (bench/similar-verify.ts): the right stamp was among the 30
 * nearest by embedding for 68.8 % of the queries, and among those or the 10 nearest by words for
 * 76.4 %; matching the word candidates too raised "same first" from 55.4 % to 60.5 % with no
 * query answered first with a wrong stamp.
 */
export const SAME_ITEM: SameItemCheck = { candidates: 30, minInliers: 12, fullInliers: 40, features: 500, side: 512, tolerance: 0.015, wordCandidates: 10 };

/** Score of a verified same item (from 0.9) and the ceiling of every other candidate's. */
export const SAME_ITEM_SCORE = 0.9;

/** The whole picture's keypoints (a stored image's sidecar, a query's first set). */
async function wholeKeypoints(image: DecodedImage, check: SameItemCheck): Promise<LocalFeatures> {
  return orbFeatures(toGrey(await image.rgb({ width: check.side, height: check.side, fit: 'inside' })), check.features);
}

/** Candidate sidecars read from the store at a time during the same-item check. */
export const SIDECAR_BATCH = 5;

/** Margin around the query's subject in the crop its keypoints come from. */
const CROP_MARGIN = 0.1;

export interface EmbeddingEngineOptions {
  /** Describe the main subject as a second view (false: the whole picture only). */
  subjects: boolean;
  /** Verify the nearest candidates as the same item (absent: rank by embedding only). */
  sameItem?: SameItemCheck;
  /** The object detector for pictures with a busy background (loaded lazily). */
  detector?: () => Promise<BoxDetector & Partial<Pick<Detector, 'detectWithClasses'>>>;
  /**
   * Blend the subject's COCO class profile into the ranking (needs a detector that gives its
   * class heatmap; absent: rank by the embedding alone).
   */
  classProfile?: ClassProfileBlend;
}

/** How much the subject's class profile weighs in the ranking score (see CLASS_PROFILE). */
export interface ClassProfileBlend {
  weight: number;
}

/**
 * The detector's class heatmap, averaged over the subject box, says what kind of thing it is (80
 * COCO classes) — a signal the MobileNetV2 features, fine-tuned for another task, carry weakly.
 * Ranking score = (1 − weight) × embedding cosine + weight × cosine of the class profiles. Chosen
 * on the tuning stamps only (BENCHMARKS.md "Tuning choices"): weight 0.2 raised in-context p@5
 * from 25.4 % to 31.7 %, same first (before the same-item check) from 35.0 % to 37.6 %; 0.3 gave
 * p@5 33.1 % but same first 34.4 %. The detector's 16 × 16 × 480 backbone features, pooled the
 * same way, did not help (p@5 ≤ 26.0 %).
 */
export const CLASS_PROFILE: ClassProfileBlend = { weight: 0.2 };

/**
 * The blend of an embedder, where it is not CLASS_PROFILE's. With InceptionV3 (mixed7) the weight
 * chosen with MobileNetV2 cost the tuning stamps "same first" in context (66.2 % without it, 63.1 %
 * with it, after the same-item check) for 0.9 points of p@5, and 1.0 point of clean p@5: by the
 * rule above (the highest p@5 that does not cost same first) it is off. The profile is still
 * computed and stored with each image, so a later weight can use it without re-adding images.
 */
const CLASS_PROFILE_BY_EMBEDDER: Record<string, ClassProfileBlend> = { 'inceptionv3-gem': { weight: 0 } };

/** The blend of an embedder: InceptionV3's at every input side (inceptionv3-gem, inceptionv3-gem-256, …; not re-tuned per side). */
export const classProfileFor = (embedder: string): ClassProfileBlend =>
  CLASS_PROFILE_BY_EMBEDDER[embedder.replace(/^(inceptionv3-gem)-\d+$/, '$1')] ?? CLASS_PROFILE;

/** Cosine of two class profiles (non-negative scores: in [0, 1]); 0 when either is empty. */
export function profileCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export class EmbeddingEngine implements SearchEngine {
  readonly metric = 'cosine' as const;
  /**
   * Rows per query view: enough for the same-item check's candidates; a larger page widens the
   * search by itself (lib/search/images.ts nearest). 1,000 rows per view cost 120 ms more per
   * search at 10,000 images than the join needed (BENCHMARKS.md "Image search at 1,000 and 10,000 images").
   */
  readonly candidatePool = 100;
  readonly dimension: number;

  /** The bag-of-words rows answer only the word search (SearchEngine.ownParts). */
  get ownParts(): readonly string[] {
    return this.options.sameItem?.wordCandidates ? [WORDS_PART] : [];
  }

  /** A caller's subject box replaces the found one (only where subjects are described at all). */
  get acceptsSubject(): boolean {
    return this.options.subjects;
  }

  constructor(
    readonly kind: LibraryKind,
    private readonly embedder: Embedder,
    private readonly options: EmbeddingEngineOptions = { subjects: false },
  ) {
    this.dimension = embedder.dimension;
  }

  /** The views of a picture; `given` (image pixels) is a subject the caller chose instead of the one found. */
  private async views(image: DecodedImage, given?: Rect): Promise<Description> {
    if (!this.options.subjects) {
      return { vectors: [{ part: 'full', vector: Array.from(await embedWhole(this.embedder, image)) }] };
    }
    const s = this.embedder.inputSize;
    const raw = await image.rgb({ width: SUBJECT_WORK_SIDE, height: SUBJECT_WORK_SIDE, fit: 'inside' });
    const work: RgbImage = { data: new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength), width: raw.width, height: raw.height };
    const loaded = this.options.detector ? await this.options.detector() : undefined;
    // With the class profile, the detector's one pass also gives its class heatmap: run it first,
    // and let findSubject read its detections.
    const pass = this.options.classProfile && loaded?.detectWithClasses ? await loaded.detectWithClasses(work) : undefined;
    const classes: ClassMap | undefined = pass?.classes;
    const detector: BoxDetector | undefined = pass ? { detect: async () => pass.detections } : loaded;
    const view = (r: Rect) => resizeRgb(cropRgb(work, squareAround(r, work.width, work.height, SUBJECT_MARGIN)), s, s, 'fill');
    let subject: { box: Rect; detected: Rect; foreground: Rect };
    let detected: Float32Array;
    let foreground: Float32Array;
    if (given) {
      // The caller's box is both views (embedded once); the detector served only the class profile.
      const box = scaleRect(given, work.width / image.width, work.height / image.height);
      subject = { box, detected: box, foreground: box };
      [detected] = await this.embedder.embedBatch([await view(box)]);
      foreground = detected;
    } else {
      subject = await findSubject(work, detector);
      [detected, foreground] = await this.embedder.embedBatch([await view(subject.detected), await view(subject.foreground)]);
    }
    return {
      vectors: [
        { part: 'detected', vector: Array.from(detected) },
        { part: 'foreground', vector: Array.from(foreground) },
      ],
      subject: given ?? scaleRect(subject.box, image.width / work.width, image.height / work.height),
      ...(classes ? { profile: Array.from(classProfile(classes, subject.box, work.width, work.height), (v) => Math.round(v * 1e4) / 1e4) } : {}),
    };
  }

  /**
   * An added image: its views, and (with the same-item check) the whole picture's keypoints, and
   * their bag of visual words as a row of its own.
   */
  async describe(image: DecodedImage): Promise<Description> {
    const d = await this.views(image);
    const check = this.options.sameItem;
    if (!check) return d;
    const whole = await wholeKeypoints(image, check);
    const bag = this.bags([whole]);
    return { ...d, vectors: [...d.vectors, ...bag.map((vector) => ({ part: WORDS_PART, vector }))], sidecar: encodeFeatures(whole) };
  }

  /** The bags of words of keypoint sets that have keypoints (none without word candidates). */
  private bags(sets: LocalFeatures[]): number[][] {
    if (!this.options.sameItem?.wordCandidates) return [];
    return sets.filter((f) => featureCount(f) > 0).map((f) => featureBag(orbVocabulary(), f, this.dimension));
  }

  /** The query's word search: its keypoint sets' bags against the stored pictures' (absent without word candidates). */
  private wordSearch(sets: LocalFeatures[]): Pick<Description, 'partSearch'> {
    const vectors = this.bags(sets);
    return vectors.length ? { partSearch: { part: WORDS_PART, vectors, images: this.options.sameItem!.wordCandidates } } : {};
  }

  /**
   * A query: its views, and (with the same-item check) two keypoint sets — the whole picture's,
   * and its subject's: a square crop around the subject box, taken from a copy twice the keypoint
   * side so that a small subject keeps its detail. A candidate's inliers are the better of the
   * two fits, so a subject box in the wrong place (a small thing in a corner) costs nothing.
   */
  async describeQuery(image: DecodedImage, hint: QueryHint = {}): Promise<Description> {
    const check = this.options.sameItem;
    // Without the check a query is described as an added image is (a subclass's own describe too).
    if (!check && !hint.subject) return this.describe(image);
    const d = await this.views(image, hint.subject);
    if (!check) return d;
    const whole = await wholeKeypoints(image, check);
    if (!d.subject) return { ...d, sidecar: encodeFeatures(whole), ...this.wordSearch([whole]) };
    const big = await image.rgb({ width: 2 * check.side, height: 2 * check.side, fit: 'inside' });
    const f = big.width / image.width;
    const crop = cropRgb(big, squareAround(scaleRect(d.subject, f, f), big.width, big.height, CROP_MARGIN));
    const k = Math.min(1, check.side / Math.max(crop.width, crop.height));
    const picture = k < 1 ? await resizeRgb(crop, Math.max(1, Math.round(crop.width * k)), Math.max(1, Math.round(crop.height * k)), 'fill') : crop;
    const subject = await orbFeatures(toGrey(picture), check.features);
    return { ...d, sidecar: encodeFeatures(whole, encodeFeatures(subject)), ...this.wordSearch([whole, subject]) };
  }

  /** The keypoint sets of a query's sidecar (whole picture, then subject crop when there is one). */
  queryFeatures(sidecar: Buffer): LocalFeatures[] {
    const { features, extra } = decodeFeatures(sidecar);
    return extra.length > 0 ? [features, decodeFeatures(extra).features] : [features];
  }

  /** Consistent matches of the best of the query's keypoint sets with a stored image's (0 without a readable sidecar). */
  async inliers(query: LocalFeatures[], sidecar: Buffer | null): Promise<number> {
    if (!sidecar || sidecar.length === 0) return 0;
    let stored: LocalFeatures;
    try {
      stored = decodeFeatures(sidecar).features;
    } catch {
      return 0; // not a keypoint sidecar (damaged): the item is ranked by its embedding only
    }
    const check = this.options.sameItem!;
    let best = 0;
    for (const q of query) {
      const matches = await matchFeatures(q, stored);
      if (matches.length >= check.minInliers) best = Math.max(best, fitSimilarity(q, stored, matches, { tolerance: check.tolerance }).inliers);
    }
    return best;
  }

  async rank(
    query: { image: DecodedImage; description: Description },
    candidates: Candidate[],
    loadSidecar: (id: string) => Promise<Buffer | null> = async () => null,
    more?: () => Promise<Candidate[]>,
  ): Promise<Match[]> {
    const blend = this.options.classProfile;
    const qp = query.description.profile;
    // The class profile blends in where both sides have one (images stored before it: the embedding alone).
    const scoreOf = (c: Candidate) =>
      blend && qp && c.profile ? (1 - blend.weight) * similarityScore(c.distance) + blend.weight * profileCosine(qp, c.profile) : similarityScore(c.distance);
    const ranked = bestPerItem(candidates)
      .map((c) => ({ id: c.id, score: scoreOf(c) }))
      .sort((a, b) => b.score - a.score);
    const check = this.options.sameItem;
    if (!check || !query.description.sidecar) return ranked;
    const q = this.queryFeatures(query.description.sidecar);
    const head = ranked.slice(0, check.candidates);
    const verified = await this.verify(q, head, loadSidecar, check);
    // None of the nearest by embedding is the item: the nearest by words are matched too. They are
    // ranked only if they are the item (their distance is not an embedding distance).
    if (verified.length === 0 && more && check.wordCandidates > 0) {
      const seen = new Set(head.map((m) => m.id));
      const words = bestPerItem((await more()).filter((c) => c.part === WORDS_PART && !seen.has(c.id)))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, check.wordCandidates)
        .map((c) => ({ id: c.id, score: 0 }));
      verified.push(...(await this.verify(q, words, loadSidecar, check)));
    }
    const same = new Set(verified.map((m) => m.id));
    const strength = (n: number) => Math.min(1, (n - check.minInliers) / (check.fullInliers - check.minInliers));
    return [
      ...verified
        .sort((a, b) => b.inliers - a.inliers || b.score - a.score)
        .map((m) => ({ id: m.id, score: SAME_ITEM_SCORE + (1 - SAME_ITEM_SCORE) * strength(m.inliers) })),
      ...ranked.filter((m) => !same.has(m.id)).map((m) => ({ id: m.id, score: SAME_ITEM_SCORE * m.score })),
    ];
  }

  /**
   * The candidates, in order, whose keypoints match the query's well enough to be the item. Their
   * sidecars are read a few at a time, the next few while these are matched: the first candidate
   * often verifies fully and ends the check, and the other reads would be wasted.
   */
  private async verify(q: LocalFeatures[], head: Match[], loadSidecar: (id: string) => Promise<Buffer | null>, check: SameItemCheck): Promise<Array<Match & { inliers: number }>> {
    const read = (from: number) => Promise.all(head.slice(from, from + SIDECAR_BATCH).map((m) => loadSidecar(m.id).catch(() => null)));
    const verified: Array<Match & { inliers: number }> = [];
    let next = read(0);
    for (let from = 0; from < head.length; from += SIDECAR_BATCH) {
      const sidecars = await next;
      if (from + SIDECAR_BATCH < head.length) next = read(from + SIDECAR_BATCH);
      for (let i = 0; i < sidecars.length; i++) {
        const inliers = await this.inliers(q, sidecars[i]);
        if (inliers >= check.minInliers) verified.push({ ...head[from + i], inliers });
        if (inliers >= check.fullInliers) return verified;
      }
    }
    return verified;
  }
}
