/** Image intake used by every API: base64 decoding, URL fetching, format and size checks. */
export { dataUrlRefused, decodeBase64Data, decodeBase64Image, hasDataUrlHeader, type Base64Options } from './base64';
export { sniffFormat, type SniffedFormat } from './sniff';
export { decodeBmp, readBmpHeader, type BmpHeader, type RawImage } from './bmp';
export {
  intakeImage,
  DEFAULT_MAX_PIXELS,
  type DecodedImage,
  type ImageFormat,
  type ImageLimits,
  type RgbOptions,
} from './intake';
export { fetchImage, validateHop, type FetchLimits, type HopContext, type ValidatedHop } from './fetch';
export { addressRange, isPublicAddress } from './address';
export { contentTypeOf, extensionOf, IMAGE_FORMATS, type StoredImageFormat } from './formats';
export { givenImageFields, readImageSource, type ImageSourceSpec } from './source';
