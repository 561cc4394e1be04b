/**
 * vitest globalSetup: builds the web console once (or reuses a fresh build) before any test
 * file runs, so that the suites that start the local stack or package the service in parallel
 * never race to build it (console/build.ts).
 */
import { ensureConsoleBuild } from '../../console/build';

export default async function setup(): Promise<void> {
  await ensureConsoleBuild({ log: (l) => console.log(l) });
}
