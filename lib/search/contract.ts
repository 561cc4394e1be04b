/**
 * The contract of the Baidu-compatible image-search API: paths, limits and error codes, from the
 * Baidu AI open platform's image search API documentation (图像搜索: 相同图片搜索, 相似图片搜索,
 * 商品图片搜索, 绘本图片搜索, 面料图片搜索 — 入库, 检索, 更新, 删除), its "error codes" (错误码)
 * page and the official SDKs (npm `baidu-aip-sdk`, `AipImageSearch`). docs/image-search.md
 * states them for readers.
 */
import type { VectorPrecision } from '../store/ports';
import type { ErrorKind } from '../errors';
import type { ImageLimits, ImageSourceSpec } from '../images';
import type { LibraryKind } from './engine';

export const LIBRARY_KINDS: readonly LibraryKind[] = ['same_hq', 'similar', 'product', 'picturebook', 'materiel'];

export type Operation = 'add' | 'search' | 'update' | 'delete';

/** REST path prefix of each kind (as the official SDKs call them); the operation name follows. */
export const KIND_PATHS: Record<LibraryKind, string> = {
  same_hq: '/rest/2.0/realtime_search/same_hq',
  similar: '/rest/2.0/image-classify/v1/realtime_search/similar',
  product: '/rest/2.0/image-classify/v1/realtime_search/product',
  picturebook: '/rest/2.0/imagesearch/v1/realtime_search/picturebook',
  materiel: '/rest/2.0/image-classify/v1/realtime_search/materiel',
};

export const operationPaths = (op: Operation): string[] => LIBRARY_KINDS.map((k) => `${KIND_PATHS[k]}/${op}`);

const PATH_PATTERN = /\/(same_hq|similar|product|picturebook|materiel)\/(add|search|update|delete)\/?$/;

/** The library kind a request path addresses (the same handler serves the five kinds). */
export function kindOfPath(path: string | undefined): LibraryKind | null {
  const m = PATH_PATTERN.exec(path ?? '');
  return m ? (m[1] as LibraryKind) : null;
}

/** "建库": a new library holds 500,000 images (a larger capacity is given when the library is provisioned). */
export const DEFAULT_CAPACITY = 500_000;
/** Generous ceiling on one library, so a typo cannot provision a billion rows. */
export const MAX_CAPACITY = 100_000_000;

/** "base64编码后大小不超过4M". */
export const MAX_BASE64_BYTES = 4 * 1024 * 1024;
/** "URL长度不超过1024字节". */
export const MAX_URL_BYTES = 1024;
/** "brief … 最长256B" (bytes of UTF-8). */
export const MAX_BRIEF_BYTES = 256;
/** tags: "1 - 65535范围内的整数 … 最多2个tag". */
export const TAG_MIN = 1;
export const TAG_MAX = 65_535;
export const MAX_TAGS = 2;
/** Product class_id1 / class_id2: "1-60范围内的整数". */
export const CLASS_ID_MIN = 1;
export const CLASS_ID_MAX = 60;
/** "未指定分页时,默认返回前300个结果;接口返回数量最大限制1000条". */
export const DEFAULT_PAGE = 300;
export const RESULT_WINDOW = 1000;
/** "最多支持100个cont_sign列表". */
export const MAX_DELETE_SIGNS = 100;

const FORMATS: ImageLimits['formats'] = ['jpeg', 'png', 'bmp'];
/** Encoded bytes that fit in 4 MB of base64. */
const MAX_IMAGE_BYTES = Math.floor((MAX_BASE64_BYTES * 3) / 4);

const limits = (minSide: number, maxAspect?: number): ImageLimits => ({
  formats: FORMATS,
  maxBytes: MAX_IMAGE_BYTES,
  minSide,
  maxSide: 4096,
  ...(maxAspect ? { maxAspect } : {}),
});

/**
 * Per-kind image limits of Baidu's image search docs. The fabric kind has no table of its own there; it
 * follows the similar kind, which it is built on. Delete by image only needs to recognise the
 * image, so it checks format and size, not the pixel bounds.
 */
export function imageLimits(kind: LibraryKind, op: Operation): ImageLimits {
  if (op === 'delete') return { formats: FORMATS, maxBytes: MAX_IMAGE_BYTES, maxSide: 4096 };
  switch (kind) {
    case 'same_hq':
      return limits(50);
    case 'similar':
    case 'materiel':
      return limits(op === 'update' ? 15 : 50);
    case 'product':
      return limits(300);
    case 'picturebook':
      return limits(150, 10);
  }
}

/** Baidu's image field: base64 `image` (≤ 4 MB) wins over `url` (≤ 1024 bytes), under the kind's and operation's limits. */
export const imageSource = (kind: LibraryKind, op: Operation): ImageSourceSpec => ({
  limits: imageLimits(kind, op),
  base64: { field: 'image', maxChars: MAX_BASE64_BYTES },
  url: { field: 'url', maxLength: MAX_URL_BYTES },
  choose: 'first',
});

/**
 * Row count past which the maintenance job gives a library's vector table an ANN index (exact
 * search below it). Measured on 2 cores with 1280-d rows: an exact search takes ~40–70 ms at
 * 20,000 rows and grows linearly, an IVF-PQ search ~15–45 ms at 100,000 rows.
 */
export const ANN_INDEX_MIN_ROWS = 20_000;
/**
 * ANN search effort once the index exists: IVF partitions probed, and the factor of extra
 * candidates re-ranked by exact distance, so that engines' calibrated thresholds still see
 * true distances rather than product-quantised ones.
 */
export const ANN_NPROBES = 32;
export const ANN_REFINE_FACTOR = 4;

/**
 * Precision of the vector column of a library's table, set when its first image is added (a table
 * keeps the precision it was created with). Half precision would halve a table — 1,280 components
 * take 2.5 KB a row instead of 5 KB — and moves a cosine distance between unit vectors by about
 * 1e-4, far below any threshold the engines use (a pHash row's ±1/8 components are exact in it);
 * but LanceDB trains an IVF-PQ index on float16 rows about 8 times slower on x86-64 (20,000 rows of
 * 1,280: 284 s against 35 s on this 2-core machine), and the maintenance job must train it within
 * one invocation. So libraries stay float32; the store supports both (VectorStore.openOrCreate).
 */
export const VECTOR_PRECISION: VectorPrecision = 'float32';

/**
 * Error codes of the Baidu AI open platform (错误码): `{error_code, error_msg, log_id}` answered
 * with HTTP 200, as Baidu does (its SDKs read the body, not the status).
 */
export const BAIDU = {
  UNSUPPORTED_METHOD: 3,
  INVALID_PARAMETER: 100,
  NO_PERMISSION: 6,
  TOKEN_INVALID: 110,
  TOKEN_EXPIRED: 111,
  QPS_LIMIT: 18,
  TOTAL_QUOTA: 19,
  LIBRARY_NOT_CREATED: 216017,
  PARAM_INVALID: 216100,
  PARAM_MISSING: 216101,
  PARAM_TOO_LONG: 216103,
  IMAGE_EMPTY: 216200,
  IMAGE_FORMAT: 216201,
  IMAGE_SIZE: 216202,
  IMAGE_BASE64: 216203,
  RECOGNITION_ERROR: 216630,
  ITEM_EXISTS: 216681,
  INTERNAL: 282000,
} as const;

/** The code of each error kind; a thrower may name a more specific one (e.g. 216681). */
export const baiduCodes: Record<ErrorKind, number> = {
  AUTH_MISSING: BAIDU.TOKEN_INVALID,
  AUTH_INVALID: BAIDU.TOKEN_INVALID,
  AUTH_EXPIRED: BAIDU.TOKEN_EXPIRED,
  FORBIDDEN_PROJECT: BAIDU.NO_PERMISSION,
  ROUTE_NOT_FOUND: BAIDU.UNSUPPORTED_METHOD, // "Unsupported openapi method" (*chosen*: not documented for unknown paths)
  METHOD_NOT_ALLOWED: BAIDU.UNSUPPORTED_METHOD,
  BODY_NOT_JSON: BAIDU.PARAM_INVALID,
  BODY_TOO_LARGE: BAIDU.IMAGE_SIZE,
  UNSUPPORTED_MEDIA_TYPE: BAIDU.PARAM_INVALID,
  MISSING_PARAM: BAIDU.PARAM_MISSING,
  BAD_PARAM: BAIDU.PARAM_INVALID,
  PARAM_TOO_LONG: BAIDU.PARAM_TOO_LONG,
  IMAGE_EMPTY: BAIDU.IMAGE_EMPTY,
  IMAGE_BASE64: BAIDU.IMAGE_BASE64,
  IMAGE_FORMAT: BAIDU.IMAGE_FORMAT,
  IMAGE_TOO_LARGE: BAIDU.IMAGE_SIZE,
  IMAGE_DIMENSIONS: BAIDU.IMAGE_SIZE,
  IMAGE_ASPECT: BAIDU.IMAGE_SIZE,
  IMAGE_URL: BAIDU.PARAM_INVALID,
  NOT_FOUND: BAIDU.PARAM_INVALID,
  CONFLICT: BAIDU.ITEM_EXISTS,
  QUOTA: BAIDU.TOTAL_QUOTA,
  RATE_LIMIT: BAIDU.QPS_LIMIT,
  INTERNAL: BAIDU.INTERNAL,
};
