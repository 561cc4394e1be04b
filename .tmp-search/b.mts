import { decodeBase64Image } from '../lib/images';
for (const v of ['\n', '  ', '====', 'data:image/png;base64,']) { try { console.log(JSON.stringify(v), decodeBase64Image(v, { field: 'image', dataUrl: 'allow' }).length); } catch (e) { console.log(JSON.stringify(v), (e as any).kind, (e as any).message); } }
