/**
 * `.data/stack.json` after an unclean stop: the next start ends the recorded serverless-offline
 * (and only a process that still runs it), removes the stale record, and refuses to start twice
 * from one data folder. Real processes, in process groups of their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUpPreviousRun, commandLine } from '../../../scripts/local/record';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A long-running node process whose command line carries `tag`, in its own process group. */
function sleeper(tag: string): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', tag], { detached: true, stdio: 'ignore' });
  children.push(c);
  return new Promise((r) => c.once('spawn', () => r(c)));
}

async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => c.once('exit', r));
  return c.pid!;
}

async function dir(record: unknown): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'iris-record-'));
  await writeFile(join(d, 'stack.json'), JSON.stringify(record));
  return d;
}

const exited = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(undefined) : c.once('exit', r)));

describe('cleanUpPreviousRun', () => {
  it("ends a dead stack's orphaned serverless-offline group and removes the stale record", async () => {
    const orphan = await sleeper('osls offline start');
    const d = await dir({ url: 'http://localhost:1', pid: await deadPid(), offlinePid: orphan.pid });
    const log: string[] = [];
    await cleanUpPreviousRun(d, (l) => log.push(l));
    await exited(orphan);
    expect(orphan.signalCode).toBe('SIGTERM');
    expect(existsSync(join(d, 'stack.json'))).toBe(false);
    expect(log.join()).toMatch(new RegExp(`pid ${orphan.pid}`));
    await rm(d, { recursive: true });
  });

  it('leaves a recorded pid alone when it now runs another program', async () => {
    const other = await sleeper('something-else');
    const d = await dir({ pid: await deadPid(), offlinePid: other.pid });
    await cleanUpPreviousRun(d, () => undefined);
    expect(commandLine(other.pid!)).toMatch(/something-else/);
    expect(existsSync(join(d, 'stack.json'))).toBe(false);
    other.kill('SIGKILL');
    await rm(d, { recursive: true });
  });

  it('refuses to start while the recorded stack still runs', async () => {
    const running = await sleeper('scripts/local.ts');
    const d = await dir({ url: 'http://localhost:3000', pid: running.pid });
    await expect(cleanUpPreviousRun(d, () => undefined)).rejects.toThrow(/already running .*pid \d+/);
    expect(existsSync(join(d, 'stack.json'))).toBe(true);
    running.kill('SIGKILL');
    await rm(d, { recursive: true });
  });

  it('does nothing without a record', async () => {
    const d = await mkdtemp(join(tmpdir(), 'iris-record-'));
    await expect(cleanUpPreviousRun(d, () => undefined)).resolves.toBeUndefined();
    await rm(d, { recursive: true });
  });
});
