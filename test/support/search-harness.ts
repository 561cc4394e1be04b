/**
 * An in-memory image library that drives a SearchEngine the way the API does (describe → rows
 * per part; describeQuery → nearest neighbours per query vector → best distance per item →
 * rank with the stored sidecars), without S3, DynamoDB or LanceDB. Used by the engine unit
 * tests and the accuracy part of bench/search.ts; the API's own tests cover the stores.
 */
import { intakeImage, type DecodedImage } from '../../lib/images';
import { WHOLE_IMAGE, type Candidate, type Description, type Match, type PartSearch, type SearchEngine } from '../../lib/search/engine';
import { decodeProfile, encodeProfile } from '../../lib/search/images';

const LIMITS = { formats: ['jpeg', 'png', 'bmp'] as Array<'jpeg' | 'png' | 'bmp'>, maxBytes: 50 * 1024 * 1024 };

export const decode = (bytes: Buffer): Promise<DecodedImage> => intakeImage(bytes, LIMITS);

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let an = 0;
  let bn = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    an += a[i] * a[i];
    bn += b[i] * b[i];
  }
  return dot / ((Math.sqrt(an) || 1) * (Math.sqrt(bn) || 1));
}

interface Row {
  id: string;
  part: string;
  vector: Float32Array;
}

export class MemoryLibrary {
  private rows: Row[] = [];
  private sidecars = new Map<string, Buffer>();
  private profiles = new Map<string, Float32Array>();

  constructor(readonly engine: SearchEngine) {}

  get size(): number {
    return this.sidecars.size;
  }

  async add(id: string, bytes: Buffer): Promise<void> {
    const d = await this.engine.describe(await decode(bytes));
    for (const v of d.vectors) {
      if (v.vector.length !== this.engine.dimension) throw new Error(`vector length ${v.vector.length} != ${this.engine.dimension}`);
      this.rows.push({ id, part: v.part, vector: Float32Array.from(v.vector) });
    }
    this.sidecars.set(id, d.sidecar ?? Buffer.alloc(0));
    // As the API does: the profile round-trips through the item's stored form.
    const profile = d.profile?.length ? decodeProfile(encodeProfile(d.profile)) : undefined;
    if (profile) this.profiles.set(id, profile);
    else this.profiles.delete(id);
  }

  /**
   * Cosine nearest neighbours per query vector, merged to the best distance per item, as the API
   * gathers them: rows of the searched part (Description.partSearch) answer only the part search.
   */
  candidates(queryVectors: number[][], pool = this.engine.candidatePool, search?: PartSearch): Candidate[] {
    const own = this.engine.ownParts ?? [];
    return this.nearest(queryVectors, pool, (r) => r.part !== search?.part && !own.includes(r.part));
  }

  /** The part search's `images` nearest images, as candidates of that part. */
  partCandidates(search: PartSearch): Candidate[] {
    return this.nearest(search.vectors, search.images + 4, (r) => r.part === search.part).slice(0, search.images);
  }

  private nearest(queryVectors: number[][], pool: number, rowFilter: (r: Row) => boolean): Candidate[] {
    const rows = this.rows.filter(rowFilter);
    const best = new Map<string, Candidate>();
    for (const q of queryVectors) {
      let qn = 0;
      for (const x of q) qn += x * x;
      qn = Math.sqrt(qn) || 1;
      const hits = rows.map((r) => {
        let dot = 0;
        let rn = 0;
        for (let i = 0; i < q.length; i++) {
          dot += q[i] * r.vector[i];
          rn += r.vector[i] * r.vector[i];
        }
        return { id: r.id, part: r.part, distance: 1 - dot / (qn * (Math.sqrt(rn) || 1)) };
      });
      hits.sort((a, b) => a.distance - b.distance);
      for (const h of hits.slice(0, pool)) {
        const b = best.get(h.id);
        if (!b || h.distance < b.distance) best.set(h.id, h);
      }
    }
    return [...best.values()]
      .map((c) => (this.profiles.has(c.id) ? { ...c, profile: this.profiles.get(c.id) } : c))
      .sort((a, b) => a.distance - b.distance);
  }

  /** The exact path (as the API runs it): hits within the probe's distance among its part's rows, or null. */
  async exact(image: DecodedImage): Promise<Match[] | null> {
    const probe = await this.engine.exactProbe?.(image);
    if (!probe) return null;
    const hits = this.rows
      .filter((r) => r.part === probe.part)
      .map((r) => ({ id: r.id, distance: 1 - cosine(probe.vector, r.vector) }))
      .filter((h) => h.distance <= probe.maxDistance)
      .sort((a, b) => a.distance - b.distance);
    return hits.length ? hits.map((h) => ({ id: h.id, score: probe.score(h.distance), region: WHOLE_IMAGE })) : null;
  }

  /** The candidates of a query's next stage and part search, as the API's `more` answers them. */
  async later(description: Description): Promise<Candidate[]> {
    const stage = description.next ? await description.next() : undefined;
    const search = stage?.partSearch?.vectors.length ? stage.partSearch : description.partSearch;
    const embedded = stage?.vectors.length ? this.candidates(stage.vectors.map((v) => v.vector), undefined, search) : [];
    return [...embedded, ...(search ? this.partCandidates(search) : [])];
  }

  async search(bytes: Buffer): Promise<Match[]> {
    const image = await decode(bytes);
    const exact = await this.exact(image);
    if (exact) return exact;
    const description = await this.engine.describeQuery(image);
    const candidates = this.candidates(description.vectors.map((v) => v.vector), undefined, description.partSearch);
    // As the API does: the next stage and the part search run only when rank asks for them.
    const more = description.next || description.partSearch ? () => this.later(description) : undefined;
    return this.engine.rank({ image, description }, candidates, async (id) => this.sidecars.get(id) ?? null, more);
  }

  /**
   * A query as the API hands it to rank, for benchmarks that score without a threshold:
   * `first` are the candidates of its first stage, `more` those of its next stage and part search
   * (computed once, when first asked), and `candidates` every one of them, as if rank had asked.
   */
  async prepareQuery(bytes: Buffer, { staged = false } = {}): Promise<{
    image: DecodedImage;
    description: Description;
    candidates: Candidate[];
    first: Candidate[];
    more?: () => Promise<Candidate[]>;
    sidecar: (id: string) => Promise<Buffer | null>;
  }> {
    const image = await decode(bytes);
    const description = await this.engine.describeQuery(image);
    const first = this.candidates(description.vectors.map((v) => v.vector), undefined, description.partSearch);
    const hasMore = Boolean(description.next || description.partSearch);
    let later: Promise<Candidate[]> | undefined;
    const more = hasMore ? () => (later ??= this.later(description)) : undefined;
    const candidates = staged || !more ? first : [...first, ...(await more())];
    return { image, description, candidates, first, more, sidecar: async (id) => this.sidecars.get(id) ?? null };
  }
}
