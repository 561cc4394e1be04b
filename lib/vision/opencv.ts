/**
 * OpenCV (WebAssembly build from @techstark/opencv-js), initialised once per container.
 * The module object is an Emscripten "thenable": awaiting it directly re-enters its own
 * `then` forever (so does returning it from an async function or a `then` callback), so it is
 * only ever handed out boxed: `const { cv } = await cvReady()`.
 */
import { createRequire } from 'node:module';

// The package's typings are a large generated tree (`mirada`); the few calls used here are typed locally.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type CV = any;

let ready: Promise<{ cv: CV }> | undefined;

export function cvReady(): Promise<{ cv: CV }> {
  ready ??= new Promise((resolve, reject) => {
    try {
      const mod = createRequire(import.meta.url)('@techstark/opencv-js') as CV;
      if (mod.Mat) resolve({ cv: mod });
      else mod.onRuntimeInitialized = () => resolve({ cv: mod });
    } catch (e) {
      ready = undefined;
      reject(e);
    }
  });
  return ready;
}
