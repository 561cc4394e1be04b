/**
 * Creates a project and its API key pair, and prints them once (only hashes are stored).
 *
 *   npm run create-project -- <name>                      # against the running local stack
 *   IRIS_TABLE=<table> AWS_REGION=<region> npm run create-project -- <name>   # against AWS
 *
 * The table name of a deployed stack is its `TableName` output (`npx osls info --verbose`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProject } from '../lib/auth/credentials';
import { stores } from '../lib/store';
import { commandLine } from './local/record';

const name = process.argv[2];
if (!name || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
  console.error('usage: npm run create-project -- <name>   (1–64 letters, digits, - or _)');
  process.exit(2);
}

const local = join(import.meta.dirname, '../.data/stack.json');
if (!process.env.IRIS_TABLE && existsSync(local)) {
  const stack = JSON.parse(readFileSync(local, 'utf8')) as { table: string; dynamodbEndpoint: string; pid?: number };
  if (stack.pid && commandLine(stack.pid) === undefined) {
    console.error(`No local stack is running: .data/stack.json is left from a stopped run (pid ${stack.pid}); start one with npm start.`);
    process.exit(2);
  }
  process.env.IRIS_TABLE = stack.table;
  process.env.IRIS_DYNAMODB_ENDPOINT = stack.dynamodbEndpoint;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
} else if (!process.env.IRIS_TABLE) {
  console.error('No local stack is running (.data/stack.json missing) and IRIS_TABLE is not set.');
  process.exit(2);
}

const p = await createProject(stores().metadata, name);
console.log(JSON.stringify({ project_id: p.projectId, name: p.name, api_key: p.apiKey, secret_key: p.secretKey }, null, 2));
