import sharp from 'sharp';
const text = Buffer.from(`<svg width="800" height="600"><rect width="800" height="600" fill="#fbf6e9"/></svg>`);
console.log(await sharp(text).metadata());
