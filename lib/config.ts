/**
 * Runtime configuration, read once from the environment. serverless.ts sets these in AWS;
 * scripts/local.ts sets them for the local stack; tests set them for their own emulators.
 */
export interface IrisConfig {
  stage: string;
  region: string;
  /** S3 bucket holding images, samples and (in AWS) the LanceDB tables. */
  bucket: string;
  /** DynamoDB table (single-table design, see lib/store/keys.ts). */
  table: string;
  /** LanceDB root: a local folder, or s3://bucket/prefix. */
  vectorsUri: string;
  /** Local emulator endpoints; unset in AWS. */
  s3Endpoint?: string;
  dynamodbEndpoint?: string;
  /** Public base URL of the HTTP API, used to build URLs handed to clients (e.g. dataset_path). */
  publicUrl?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): IrisConfig {
  const stage = env.IRIS_STAGE ?? 'dev';
  return {
    stage,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    bucket: env.IRIS_BUCKET ?? `iris-${stage}-objects`,
    table: env.IRIS_TABLE ?? `iris-${stage}`,
    vectorsUri: env.IRIS_VECTORS ?? '.data/vectors',
    s3Endpoint: env.IRIS_S3_ENDPOINT || undefined,
    dynamodbEndpoint: env.IRIS_DYNAMODB_ENDPOINT || undefined,
    publicUrl: env.IRIS_PUBLIC_URL || undefined,
  };
}

let cached: IrisConfig | undefined;
/** The process-wide configuration (tests may call `resetConfig` after changing env). */
export const config = (): IrisConfig => (cached ??= loadConfig());
export const resetConfig = (): void => {
  cached = undefined;
};
