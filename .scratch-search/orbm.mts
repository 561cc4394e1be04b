import { cvReady } from '../lib/vision/opencv';
const { cv } = await cvReady();
const o = new cv.ORB(500);
let p = Object.getPrototypeOf(o); const names = new Set<string>();
while (p) { Object.getOwnPropertyNames(p).forEach(n => names.add(n)); p = Object.getPrototypeOf(p); }
console.log([...names].join(' '));
console.log(typeof cv.FastFeatureDetector, typeof cv.AgastFeatureDetector, typeof cv.CLAHE);
