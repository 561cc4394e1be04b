/**
 * The adapters wired from configuration. Handlers call `stores()`; domain code receives the
 * ports as arguments and never imports this module.
 */
import { config } from '../config';
import { dynamoClient, s3Client } from './aws-clients';
import { DynamoMetadataStore } from './dynamodb';
import { LanceVectorStore } from './lancedb';
import type { Stores } from './ports';
import { S3ObjectStore } from './s3';

export type * from './ports';

let cached: Stores | undefined;

/** LanceDB's object-store options for an s3:// URI, pointed at the local emulator when configured. */
export function lanceStorageOptions(): Record<string, string> {
  const c = config();
  if (!c.vectorsUri.startsWith('s3://')) return {};
  return {
    region: c.region,
    ...(c.s3Endpoint
      ? { endpoint: c.s3Endpoint, allow_http: 'true', aws_access_key_id: 'S3RVER', aws_secret_access_key: 'S3RVER', virtual_hosted_style_request: 'false' }
      : {}),
  };
}

export function stores(): Stores {
  if (!cached) {
    const c = config();
    cached = {
      objects: new S3ObjectStore(s3Client(), c.bucket),
      metadata: new DynamoMetadataStore(dynamoClient(), c.table),
      vectors: new LanceVectorStore(c.vectorsUri, lanceStorageOptions()),
    };
  }
  return cached;
}

export function resetStores(): void {
  cached = undefined;
}
