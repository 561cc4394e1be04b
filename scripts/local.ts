/**
 * `npm start`: the whole platform on this machine — HTTP API, S3 (with triggers), DynamoDB,
 * vector tables — on an embedded default, with dev credentials. Ctrl-C (SIGINT), SIGTERM and
 * SIGHUP stop everything; after a SIGKILL, serverless-offline ends itself (watchdog.cjs) and the
 * next start cleans up what is left (record.ts).
 */
import { startLocalStack } from './local/stack';

const port = Number(process.env.PORT ?? 3000);
const stack = await startLocalStack({ port, verbose: process.env.IRIS_VERBOSE === '1' });
const { credentials: c } = stack;
console.log(`
Iris is running.

  API        ${stack.url}            (health: ${stack.url}/health)
  Console    ${stack.url}/console
  S3         ${stack.s3Endpoint}   bucket ${stack.bucket}  (access key S3RVER, secret S3RVER)
  DynamoDB   ${stack.dynamodbEndpoint}   table ${stack.table}
  Vectors    ${stack.vectors}
  Requests   at most ${stack.limits.perFunction} at once per function, ${stack.limits.native} for the model-loading functions together; up to ${stack.limits.maxQueue} more wait per function
${stack.allowPrivateUrls ? `
  WARNING    IRIS_ALLOW_PRIVATE_URLS=1: image URLs on private, loopback and link-local addresses
             (10.x, 192.168.x, 127.x, 169.254.x, …) ARE fetched. Unset it unless you need it.
` : ''}
Dev credentials (project "${c.projectName}", kept in .data/dev-credentials.json):
  project_id  ${c.projectId}
  API key     ${c.apiKey}
  secret key  ${c.secretKey}

  Baidu token:   curl -s -X POST '${stack.url}/oauth/2.0/token?grant_type=client_credentials&client_id=${c.apiKey}&client_secret=${c.secretKey}'
  Huawei token:  curl -si -X POST ${stack.url}/v3/auth/tokens -H 'content-type: application/json' \\
                   -d '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"${c.apiKey}","password":"${c.secretKey}"}}},"scope":{"project":{"id":"${c.projectId}"}}}}'

Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGHUP', shutdown);
// Parent death (e.g. the `tsx` or `npm` wrapper killed with SIGKILL): this process is re-parented.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown();
}, 1000).unref();
