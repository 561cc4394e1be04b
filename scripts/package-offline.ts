/**
 * `osls package` without AWS: the framework asks CloudFormation whether the native layer is
 * already deployed (DescribeStacks) even when only packaging. This answers that one question
 * from a loopback stub ("stack does not exist"), so the CloudFormation template and zips can be
 * produced and checked on a machine with no network and no credentials.
 *
 * Usage: tsx scripts/package-offline.ts [--stage dev] [other osls package flags]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureConsoleBuild } from '../console/build';

export async function packageOffline(args: string[], cwd = process.cwd(), timeoutMs = 10 * 60_000): Promise<{ code: number; output: string }> {
  // The console function inlines the console's static build (console/build.ts).
  await ensureConsoleBuild();
  const stub = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>' +
          '<Code>ValidationError</Code><Message>Stack with id iris does not exist</Message></Error>' +
          '<RequestId>offline</RequestId></ErrorResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const port = (stub.address() as AddressInfo).port;
  try {
    return await new Promise((resolve) => {
      const child = spawn('npx', ['osls', 'package', ...args], {
        cwd,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'offline',
          AWS_SECRET_ACCESS_KEY: 'offline',
          AWS_ENDPOINT_URL_CLOUDFORMATION: `http://127.0.0.1:${port}`,
          SLS_TELEMETRY_DISABLED: '1',
          IRIS_ESBUILD_DIR: process.env.IRIS_ESBUILD_DIR ?? '.esbuild-package',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      // serverless-esbuild can hang instead of exiting after a failed build: never wait forever.
      const timer = setTimeout(() => {
        output += `\npackage-offline: timed out after ${timeoutMs} ms, killed`;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, timeoutMs);
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 1, output });
      });
    });
  } finally {
    stub.close();
  }
}

if (process.argv[1]?.endsWith('package-offline.ts')) {
  const { code, output } = await packageOffline(process.argv.slice(2));
  process.stdout.write(output);
  process.exit(code);
}
