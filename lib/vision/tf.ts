/**
 * TensorFlow.js on the WASM backend, initialised once per container. (tfjs-node downloads a
 * binary at install time, which neither this build nor Lambda's layer can do.) Do not call
 * setWasmPaths in Node: the backend finds its .wasm files beside its own module.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<typeof tf> | undefined;

export function tfReady(): Promise<typeof tf> {
  ready ??= (async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    return tf;
  })();
  return ready;
}

export { tf };
