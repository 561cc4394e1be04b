/**
 * Real local services for integration tests: dynalite (in memory), s3rver (temp folder) and a
 * temporary LanceDB folder, on free ports. Sets the IRIS_* environment and resets the
 * process-wide config, clients and stores so that lib/ code talks to them.
 *
 *   const env = await startServices();   // in beforeAll
 *   await env.stop();                    // in afterAll
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { resetConfig } from '../../lib/config';
import { resetClients } from '../../lib/store/aws-clients';
import { resetStores, stores } from '../../lib/store';
import type { Stores } from '../../lib/store/ports';
import { ensureBucket, ensureTable } from '../../scripts/local/emulators';
import { createProject, issueToken, type ProjectCredentials } from '../../lib/auth/credentials';

export interface TestServices {
  stores: Stores;
  bucket: string;
  table: string;
  vectorsDir: string;
  s3Endpoint: string;
  dynamodbEndpoint: string;
  s3rver: S3rver;
  /** Creates a project with keys and a valid token. */
  project(name?: string): Promise<ProjectCredentials & { token: string }>;
  stop(): Promise<void>;
}

export async function startServices(): Promise<TestServices> {
  const dir = await mkdtemp(join(tmpdir(), 'iris-test-'));
  const ddbServer = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((r) => ddbServer.listen(0, '127.0.0.1', () => r()));
  const ddbPort = (ddbServer.address() as AddressInfo).port;
  const s3rver = new S3rver({ port: 0, address: '127.0.0.1', directory: join(dir, 's3'), silent: true, allowMismatchedSignatures: true });
  const s3Address = await s3rver.run();
  const s3Port = (s3Address as AddressInfo).port;

  const bucket = 'iris-test-objects';
  const table = 'iris-test';
  const vectorsDir = join(dir, 'vectors');
  const s3Endpoint = `http://127.0.0.1:${s3Port}`;
  const dynamodbEndpoint = `http://127.0.0.1:${ddbPort}`;
  Object.assign(process.env, {
    IRIS_STAGE: 'test',
    IRIS_BUCKET: bucket,
    IRIS_TABLE: table,
    IRIS_VECTORS: vectorsDir,
    IRIS_S3_ENDPOINT: s3Endpoint,
    IRIS_DYNAMODB_ENDPOINT: dynamodbEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  });
  resetConfig();
  resetClients();
  resetStores();

  await ensureTable(dynamodbEndpoint, table);
  await ensureBucket(s3Endpoint, bucket);

  const s = stores();
  return {
    stores: s,
    bucket,
    table,
    vectorsDir,
    s3Endpoint,
    dynamodbEndpoint,
    s3rver,
    async project(name = 'test') {
      const p = await createProject(s.metadata, name);
      const { token } = await issueToken(s.metadata, p.projectId, 3600);
      return { ...p, token };
    },
    async stop() {
      resetClients();
      resetStores();
      await s3rver.close().catch(() => undefined);
      await new Promise<void>((r) => ddbServer.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
