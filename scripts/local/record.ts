/**
 * `.data/stack.json`: where the running local stack is (for `npm run create-project`) and which
 * processes it started, so that the next `npm start` can clean up after an unclean stop.
 *
 * Only processes recorded there are ever signalled, and only after checking (in /proc) that the
 * pid still runs the program that was recorded — a pid reused by another program is left alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StackRecord {
  url: string;
  s3Endpoint: string;
  dynamodbEndpoint: string;
  bucket: string;
  table: string;
  vectors: string;
  /** The process that runs the stack (emulators and the gate live in it). */
  pid: number;
  /** serverless-offline: the leader of its own process group. */
  offlinePid?: number;
  ports: number[];
  startedAt: string;
}

export const recordFile = (dataDir: string) => join(dataDir, 'stack.json');

export async function readRecord(dataDir: string): Promise<Partial<StackRecord> | undefined> {
  try {
    return JSON.parse(await readFile(recordFile(dataDir), 'utf8')) as Partial<StackRecord>;
  } catch {
    return undefined;
  }
}

export const writeRecord = (dataDir: string, record: StackRecord) => writeFile(recordFile(dataDir), JSON.stringify(record, null, 2));
export const removeRecord = (dataDir: string) => rm(recordFile(dataDir), { force: true });

/** The command line of a live pid, or undefined when it is gone (or is a zombie). */
export function commandLine(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    if (!existsSync('/proc/self')) {
      // No procfs (macOS): fall back to "is it alive" and trust the record.
      try {
        process.kill(pid, 0);
        return '';
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

const isOffline = (cmd: string | undefined) => cmd !== undefined && (cmd === '' || /offline/.test(cmd));
const isStack = (cmd: string | undefined) => cmd !== undefined && (cmd === '' || /node|tsx|vitest/.test(cmd));

/** Ends a recorded process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function endGroup(pid: number, graceMs = 5000): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      /* gone */
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (commandLine(pid) === undefined) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  signal('SIGKILL');
  while (commandLine(pid) !== undefined && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 50));
}

/**
 * Before a start: refuses when the recorded stack still runs; otherwise ends what an unclean stop
 * of it left behind (its serverless-offline group) and removes the stale record.
 */
export async function cleanUpPreviousRun(dataDir: string, log: (l: string) => void): Promise<void> {
  const rec = await readRecord(dataDir);
  if (!rec) return;
  if (rec.pid && rec.pid !== process.pid && isStack(commandLine(rec.pid))) {
    throw new Error(`another local stack is already running from ${dataDir} (pid ${rec.pid}, ${rec.url ?? 'url unknown'}); stop it first`);
  }
  if (rec.offlinePid && isOffline(commandLine(rec.offlinePid))) {
    log(`cleaning up after the previous run: ending its serverless-offline (pid ${rec.offlinePid})`);
    await endGroup(rec.offlinePid);
  }
  await removeRecord(dataDir);
}
