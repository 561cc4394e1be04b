/** One configured client per AWS service, created once per container (module scope). */
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';

let s3: S3Client | undefined;
let ddb: DynamoDBDocumentClient | undefined;

/** Emulators accept any key pair; AWS uses the Lambda role's credentials. */
const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export function s3Client(): S3Client {
  if (!s3) {
    const c = config();
    s3 = new S3Client({
      region: c.region,
      ...(c.s3Endpoint ? { endpoint: c.s3Endpoint, forcePathStyle: true, credentials: localCredentials } : {}),
    });
  }
  return s3;
}

export function dynamoClient(): DynamoDBDocumentClient {
  if (!ddb) {
    const c = config();
    const base = new DynamoDBClient({
      region: c.region,
      ...(c.dynamodbEndpoint ? { endpoint: c.dynamodbEndpoint, credentials: localCredentials } : {}),
    });
    ddb = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    });
  }
  return ddb;
}

/** For tests that switch endpoints between suites. */
export function resetClients(): void {
  s3?.destroy();
  ddb?.destroy();
  s3 = undefined;
  ddb = undefined;
}
