/**
 * `npm start` after an unclean stop, and stopping it by its process group: the stack runs in a
 * child process (`node --import tsx scripts/local.ts`, in a process group of its own as a
 * terminal would start it). Every process of these runs carries IRIS_DATA_DIR=<this test's
 * folder> in its environment, which is how the test finds them all (serverless-offline and the
 * esbuild processes included) without touching anything else on the machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = await mkdtemp(join(tmpdir(), 'iris-e2e-lifecycle-'));
const marker = `IRIS_DATA_DIR=${dataDir}`;
const started: ChildProcess[] = [];

/** Pids (and process groups) of every live process started for this test's data folder. */
function ours(): Array<{ pid: number; pgid: number; cmd: string }> {
  const found: Array<{ pid: number; pgid: number; cmd: string }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/environ`, 'utf8').split('\0').includes(marker)) continue;
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      found.push({ pid: Number(d), pgid: Number(fields[2]), cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}; processes: ${JSON.stringify(ours(), null, 1)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts `npm start`'s script and resolves once it printed that it is running. */
function npmStart(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/local.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, PORT: '0', IRIS_DATA_DIR: dataDir, IRIS_ESBUILD_DIR: '.esbuild-e2e-lifecycle' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('Iris is running.')) {
        clearInterval(timer);
        resolve({ child, output: () => out });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`npm start exited with ${child.exitCode}:\n${out.slice(-3000)}`));
      }
    }, 200);
  });
}

/** The serverless-offline process a run started: ours, in a process group other than the run's. */
const offlineOf = (runPid: number) => ours().find((p) => p.pgid !== runPid && /offline start/.test(p.cmd) && readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(runPid))?.pid ?? 0;

const record = () => JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as { url: string };

afterAll(async () => {
  // Never leave anything behind, whatever happened above.
  for (const p of ours()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const c of started) c.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start after an unclean stop', () => {
  it('comes up again after a SIGKILL with no process of the killed run left, and a SIGTERM to its group ends every process', async () => {
    const first = await npmStart();
    const a = { pid: first.child.pid!, offlinePid: offlineOf(first.child.pid!) };
    expect(a.offlinePid).toBeGreaterThan(0);

    process.kill(a.pid, 'SIGKILL'); // no chance to clean up
    await until('the first run is gone', () => first.child.exitCode !== null || first.child.signalCode !== null, 10_000);

    const second = await npmStart();
    const b = { pid: second.child.pid!, offlinePid: offlineOf(second.child.pid!), url: record().url };
    // Nothing of the first run remains: every live process belongs to the second run's groups.
    await until('the first run left no process', () => !ours().some((p) => p.pgid !== b.pid && p.pgid !== b.offlinePid), 10_000);
    expect(ours().map((p) => p.pid)).not.toContain(a.offlinePid);
    const health = await fetch(`${b.url}/health`);
    expect(health.status).toBe(200);

    // As a terminal's Ctrl-\ / a supervisor would: SIGTERM to the whole process group.
    process.kill(-b.pid, 'SIGTERM');
    await until('every process of the second run ended', () => ours().length === 0, 30_000);
    expect(second.output()).toMatch(/stopping/);
  }, 600_000);
});
