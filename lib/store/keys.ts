/**
 * DynamoDB single-table key builders. Every item has `pk`/`sk`; three overloaded GSIs
 * (`gsi1pk/gsi1sk`, `gsi2pk/gsi2sk`, `gsi3pk/gsi3sk`) serve the list queries. Each domain
 * module owns a prefix and builds its keys here, so the whole key design is readable in one place.
 */
export const keys = {
  project: (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'PROJECT' }),
  /** gsi1 partition listing every project (for jobs that visit all of them, e.g. the sweep). */
  allProjects: 'PROJECTS',
  /** Where the scheduled sweep resumes (the last project it finished). */
  sweepCursor: { pk: 'SWEEP', sk: 'CURSOR' },
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
  /** gsi1 partition holding every library of every project (for the maintenance job). */
  allLibraries: 'LIBRARIES',
  imagePartition: (projectId: string, kind: string, generation: string) => `LIBIMG#${projectId}#${kind}#${generation}`,
  image: (projectId: string, kind: string, generation: string, imageId: string) => ({
    pk: `LIBIMG#${projectId}#${kind}#${generation}`,
    sk: `IMG#${imageId}`,
  }),
} as const;

/**
 * Datasets and samples (lib/datasets), ModelArts-compatible. Every list is a Query, never a Scan.
 *
 *   dataset            pk DATASET#{project}        sk DS#{datasetId}      (list = Query pk)
 *   dataset name guard pk DSNAME#{project}#{name}  sk DSNAME              (unique names, written in
 *                                                                           the same transaction)
 *   dataset counters   pk DSSTATS#{datasetId}      sk STATS               (atomic ADD per facet:
 *                                                                           sample_count of a filter)
 *   purge marker       pk DSPURGE#{project}        sk DS#{datasetId}      (a deleted dataset whose
 *                                                                           samples are being removed)
 *   sample             pk DSS#{datasetId}          sk S#{sampleId}        (show = GetItem)
 *   sample lease       pk DSLEASE#{datasetId}      sk S#{sampleId}        (held while the sample's
 *                                                                           object is written or removed)
 *     gsi1  all samples by time       gsi1pk DSS#{ds}#ALL          gsi1sk {time}#{sampleId}
 *     gsi2  by sample_state           gsi2pk DSS#{ds}#ST#{state}   gsi2sk {time}#{sampleId}
 *     gsi3  hard examples (sparse)    gsi3pk DSS#{ds}#HARD         gsi3sk {time}#{sampleId}
 *   sample facet       pk DSS#{datasetId}          sk F#{sampleId}#{facet}   one small item per
 *     label name / label type / sample type of a sample (a sample has several labels, so these
 *     cannot live on the sample item):
 *     gsi1  gsi1pk DSF#{ds}#{facet}   gsi1sk {time}#{sampleId}     facet = L#{labelName} | LT#{type} | TY#{sampleType}
 *
 * sampleId = md5(datasetId + "/" + sample name): a retried batch or an upload under the same
 * name lands on the same item (overwrite, never a duplicate). A sample and its facet items and
 * counter deltas are written in one conditional transaction (version check), so counters and
 * indexes never drift. A list request picks the most selective key-served filter (label name >
 * hard > state > label type > sample type > all), Queries that partition in time order, and
 * applies any further filters to the items read (documented in lib/datasets/samples.ts).
 *
 *   hard-sample config pk HSCFG#{project}          sk CFG#{configId}     (list = Query pk)
 */
export const datasetKeys = {
  dataset: (projectId: string, datasetId: string) => ({ pk: `DATASET#${projectId}`, sk: `DS#${datasetId}` }),
  datasets: (projectId: string) => `DATASET#${projectId}`,
  nameGuard: (projectId: string, name: string) => ({ pk: `DSNAME#${projectId}#${name}`, sk: 'DSNAME' }),
  stats: (datasetId: string) => ({ pk: `DSSTATS#${datasetId}`, sk: 'STATS' }),
  /** Marker of a deleted dataset whose items / objects are still being removed. */
  purge: (projectId: string, datasetId: string) => ({ pk: `DSPURGE#${projectId}`, sk: `DS#${datasetId}` }),
  sample: (datasetId: string, sampleId: string) => ({ pk: `DSS#${datasetId}`, sk: `S#${sampleId}` }),
  /** The lease held by whoever writes or removes a sample's object (lib/store/write.ts withLease). */
  sampleLease: (datasetId: string, sampleId: string) => ({ pk: `DSLEASE#${datasetId}`, sk: `S#${sampleId}` }),
  samplePartition: (datasetId: string) => `DSS#${datasetId}`,
  facet: (datasetId: string, sampleId: string, facet: string) => ({ pk: `DSS#${datasetId}`, sk: `F#${sampleId}#${facet}` }),
  allIndex: (datasetId: string) => `DSS#${datasetId}#ALL`,
  stateIndex: (datasetId: string, state: string) => `DSS#${datasetId}#ST#${state}`,
  hardIndex: (datasetId: string) => `DSS#${datasetId}#HARD`,
  facetIndex: (datasetId: string, facet: string) => `DSF#${datasetId}#${facet}`,
  hardConfig: (projectId: string, configId: string) => ({ pk: `HSCFG#${projectId}`, sk: `CFG#${configId}` }),
  hardConfigs: (projectId: string) => `HSCFG#${projectId}`,
} as const;

/**
 * FRS face sets (lib/faces). A project's face sets share one partition (listing is one query);
 * each face set's faces live in a partition named by the set's id, which is new for every
 * creation, so a deleted-then-recreated set never sees the previous one's faces.
 */
export const faceSetKeys = {
  faceSets: (projectId: string) => `FACESET#${projectId}`,
  faceSet: (projectId: string, name: string) => ({ pk: `FACESET#${projectId}`, sk: `SET#${name}` }),
  facePartition: (projectId: string, faceSetId: string) => `FACE#${projectId}#${faceSetId}`,
  face: (projectId: string, faceSetId: string, faceId: string) => ({ pk: `FACE#${projectId}#${faceSetId}`, sk: `FACE#${faceId}` }),
} as const;

/**
 * The bucket's object layout, beside the table's: every stored file of a project lives under
 * `data/{project}/`, every bulk upload under `ingest/{project}/` (which triggers the importer), and
 * IAM scopes and triggers are built from these prefixes (lib/deploy/types.ts PREFIX).
 *
 *   data/{project}/libraries/{kind}/{generation}/{imageId}.{writeId}.{ext}   library images (+ .sidecar)
 *   data/{project}/face-sets/{faceSetId}/{writeId}.{ext}                     face-set photos
 *   data/{project}{bucket path}                                              dataset samples, at the
 *                                                                            path ModelArts shows
 */
export const objectKeys = {
  /** Everything a project stores. */
  project: (projectId: string) => `data/${projectId}/`,
  /** Everything a project has uploaded for import. */
  ingest: (projectId: string) => `ingest/${projectId}/`,
  library: (projectId: string, kind: string, generation: string) => `data/${projectId}/libraries/${kind}/${generation}/`,
  faceSet: (projectId: string, faceSetId: string) => `data/${projectId}/face-sets/${faceSetId}/`,
  /** A ModelArts-style bucket path (`/bucket/dir/file.jpg`) of the project. */
  bucketPath: (projectId: string, path: string) => `data/${projectId}${path}`,
} as const;
