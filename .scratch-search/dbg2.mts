import { cvReady } from '../lib/vision/opencv';
import { tfReady } from '../lib/vision/tf';
const t = () => new Date().toISOString().slice(11,23);
if (process.argv[2] === 'tf') { await tfReady(); console.log(t(), 'tf'); }
const cv = await cvReady();
console.log(t(), 'cv', typeof cv.ORB);
