/**
 * DynamoDB single-table key builders. Every item has `pk`/`sk`; three overloaded GSIs
 * (`gsi1pk/gsi1sk`, `gsi2pk/gsi2sk`, `gsi3pk/gsi3sk`) serve the list queries. Each domain
 * module owns a prefix and builds its keys here, so the whole key design is readable in one place.
 */
export const keys = {
  project: (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'PROJECT' }),
  apiKey: (apiKey: string) => ({ pk: `APIKEY#${apiKey}`, sk: 'APIKEY' }),
  /** Tokens are stored by their SHA-256, never in clear. */
  token: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  /** One ledger entry per S3 object version seen by the ingest trigger (idempotency + failures). */
  ingest: (bucketKey: string, etag: string) => ({ pk: `INGEST#${bucketKey}`, sk: `ETAG#${etag}` }),
} as const;

/** GSI partition for the ingest ledger, by status, newest first (gsi1sk = ISO time). */
export const ingestStatusPartition = (status: string) => `INGESTSTATUS#${status}`;

/**
 * Image-search libraries (lib/search). One library item per (project, kind) under the project's
 * LIBRARY partition (so listing a project's libraries is one query); the images of a library
 * live in their own partition named by the library's generation, so a deleted-then-recreated
 * library never sees the previous one's leftovers.
 */
export const libraryKeys = {
  library: (projectId: string, kind: string) => ({ pk: `LIBRARY#${projectId}`, sk: `KIND#${kind}` }),
  libraries: (projectId: string) => `LIBRARY#${projectId}`,
  imagePartition: (projectId: string, kind: string, generation: string) => `LIBIMG#${projectId}#${kind}#${generation}`,
  image: (projectId: string, kind: string, generation: string, imageId: string) => ({
    pk: `LIBIMG#${projectId}#${kind}#${generation}`,
    sk: `IMG#${imageId}`,
  }),
} as const;
