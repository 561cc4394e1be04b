import { cvReady } from '../lib/vision/opencv';
const t = () => new Date().toISOString().slice(11,23);
const { cv } = await cvReady();
console.log(t(), 'cv', typeof cv.ORB);
