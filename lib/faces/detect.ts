/** Faces of a decoded image in its own pixel coordinates, at least MIN_FACE_PX on each side. */
import type { DecodedImage } from '../images';
import type { DetectedFace, FaceModel } from '../vision/face-model';
import { DETECT_MAX_SIDE, MIN_FACE_PX, frsError } from './contract';

export async function detectFaces(model: FaceModel, image: DecodedImage, onNone: () => Error): Promise<DetectedFace[]> {
  const long = Math.max(image.width, image.height);
  const rgb = long > DETECT_MAX_SIDE ? await image.rgb({ width: DETECT_MAX_SIDE, height: DETECT_MAX_SIDE }) : await image.rgb();
  const scale = image.width / rgb.width;
  const found = (await model.detect(rgb)).map((f) => ({
    ...f,
    box: {
      x: Math.max(0, Math.round(f.box.x * scale)),
      y: Math.max(0, Math.round(f.box.y * scale)),
      width: Math.round(f.box.width * scale),
      height: Math.round(f.box.height * scale),
    },
  }));
  if (found.length === 0) throw onNone();
  const big = found.filter((f) => f.box.width >= MIN_FACE_PX && f.box.height >= MIN_FACE_PX);
  if (big.length === 0) throw frsError.faceTooSmall(found[0].box.width, found[0].box.height);
  return big;
}
