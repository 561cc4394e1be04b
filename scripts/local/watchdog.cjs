/**
 * Preloaded (`node --require`) into the serverless-offline process that the local stack starts.
 * serverless-offline runs in a process group of its own (so that its esbuild children go with
 * it); when the stack process that started it is gone — SIGKILL, a crash, a closed terminal —
 * this ends that whole group instead of leaving it running on the stack's ports.
 */
'use strict';
const { isMainThread } = require('node:worker_threads');

const parent = Number(process.env.IRIS_STACK_PID);
if (isMainThread && parent > 0) {
  const alive = () => {
    try {
      process.kill(parent, 0);
      return process.ppid === parent;
    } catch {
      return false;
    }
  };
  const timer = setInterval(() => {
    if (alive()) return;
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      process.exit(1);
    }
  }, 500);
  timer.unref();
}
