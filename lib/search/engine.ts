/**
 * The contract between the image-search API (lib/search/*, functions/search/*) and the
 * matching engines (lib/search/engines/*). One engine per library kind; the API stores what
 * `describe` returns and asks `rank` to turn nearest-neighbour candidates into scored matches.
 */
import type { DecodedImage } from '../images';

export type LibraryKind = 'same_hq' | 'similar' | 'product' | 'picturebook' | 'materiel';

export interface PartVector {
  /** Which view of the image this vector describes, e.g. 'full', 'mirror', 'crop-tl'. */
  part: string;
  vector: number[];
}

export interface Description {
  /** Stored as rows of the library's vector table (one row per part, same item id). */
  vectors: PartVector[];
  /** Opaque engine data needed by `rank` later (e.g. local features); stored in S3 beside the image. */
  sidecar?: Buffer;
  /**
   * The picture's main subject (left, top, width, height in the image's own pixels, after EXIF
   * orientation), for engines that find one (similar, product). Stored with the image; an Iris
   * addition to the answers (`subject` per result, `query_subject` for the query).
   */
  subject?: { left: number; top: number; width: number; height: number };
  /**
   * The subject's class profile (similar, product: the detector's 80 COCO class scores averaged
   * over the subject box), stored with the item and handed back in its candidates.
   */
  profile?: number[];
  /**
   * Query only: vectors searched among the stored rows of one part alone (same-image: bags of
   * visual words against the stored images' bags), when `rank` asks for more candidates. The
   * `images` nearest stored images over all of them become candidates of that part, with their
   * distance in that part's space; rows of that part never answer `vectors`.
   */
  partSearch?: PartSearch;
  /**
   * Query only: the query's next stage — more vectors, searched like `vectors`, and a part search —
   * computed and searched only when `rank` asks for more candidates (same-image: the centre and
   * quadrant views and the bags of visual words, when the whole picture's nearest images are not
   * the same picture).
   */
  next?: () => Promise<QueryStage>;
}

export interface QueryStage {
  vectors: PartVector[];
  partSearch?: PartSearch;
}

/**
 * The part whose row holds the bag of visual words of a stored image's keypoints
 * (lib/vision/visual-words.ts): same-image, and the same-item check of similar and product.
 */
export const WORDS_PART = 'words';

export interface PartSearch {
  part: string;
  vectors: number[][];
  images: number;
}

/** What the caller says about a query (Iris additions to the search parameters). */
export interface QueryHint {
  /** The subject to search for, in the query's pixels (similar, product), instead of the one the engine finds. */
  subject?: Description['subject'];
}

export interface Candidate {
  /** Item id (the cont_sign-derived id of a stored image). */
  id: string;
  /** Best (smallest) distance over the item's vectors for any query vector. */
  distance: number;
  /**
   * Which stored part matched best; a candidate found by the query's part search has that part
   * (Description.partSearch) and its distance is in that part's space.
   */
  part: string;
  /** The stored image's class profile, when its engine stores one (Description.profile). */
  profile?: ArrayLike<number>;
}

/**
 * Where the query lies in a matched stored image: the query's outline (its four corners, in the
 * order top-left, top-right, bottom-right, bottom-left of the query) mapped into the stored
 * image, as fractions of the stored image's width and height (a point may lie outside [0, 1]
 * when the query shows more than the stored image, e.g. a collage that contains it).
 */
export interface Region {
  points: Array<[number, number]>;
}

export interface Match {
  id: string;
  /** Calibrated similarity in [0, 1]. */
  score: number;
  region?: Region;
}

/**
 * A cheap first pass before `describeQuery` (same-image: the perceptual hash). The API searches
 * the rows of `part` only; a committed hit within `maxDistance` is answered at once with
 * `score(distance)` and the whole stored image as its region, without embedding or verification.
 */
export interface ExactProbe {
  part: string;
  vector: number[];
  maxDistance: number;
  score(distance: number): number;
}

export interface SearchEngine {
  readonly kind: LibraryKind;
  /** Vector length and metric of the library's table. */
  readonly dimension: number;
  readonly metric: 'cosine' | 'l2';
  /** How many nearest neighbours to fetch per query vector before `rank`. */
  readonly candidatePool: number;
  /**
   * How many images `rank` can use at most (same-image verifies a handful); the search reads no
   * more items than this. Omitted: as many as the page asks for (a ranking engine).
   */
  readonly candidateImages?: number;
  /**
   * Parts whose rows live in a space of their own (same-image: the pHash and the bag of visual
   * words): they answer only a search of that part (ExactProbe, Description.partSearch), never the
   * query's `vectors`.
   */
  readonly ownParts?: readonly string[];
  /** Describe an image being added to a library. */
  describe(image: DecodedImage): Promise<Description>;
  /** Describe a query image (may differ from `describe`, e.g. fewer parts). */
  describeQuery(image: DecodedImage, hint?: QueryHint): Promise<Description>;
  /** Whether describeQuery takes a caller's subject box (QueryHint.subject). */
  readonly acceptsSubject?: boolean;
  /**
   * Scores candidates for a query, best first. An engine with a match threshold (same-image)
   * drops candidates that are not the same picture; a ranking engine (similar) keeps them all.
   */
  rank(
    query: { image: DecodedImage; description: Description },
    candidates: Candidate[],
    loadSidecar: (id: string) => Promise<Buffer | null>,
    /**
     * The candidates of the query's next stage (Description.next) and of its part search
     * (Description.partSearch), computed and searched when called, not before: an engine asks for
     * them only when `candidates` did not answer the query.
     */
    more?: () => Promise<Candidate[]>,
  ): Promise<Match[]>;
  /** Optional exact path (see ExactProbe); null when the image gives no probe. */
  exactProbe?(image: DecodedImage): Promise<ExactProbe | null>;
}

/** The whole stored image as a region (an exact-path hit). */
export const WHOLE_IMAGE: Region = {
  points: [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ],
};
