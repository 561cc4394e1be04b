// Minimal typings for bmp-js 0.1 (the package ships none). Only the decoder is used.
declare module 'bmp-js' {
  namespace bmpJs {
    interface DecodedBmp {
      width: number;
      height: number;
      bitPP: number;
      /** 4 bytes per pixel in A, B, G, R order, top row first. */
      data: Buffer;
    }
    function decode(buffer: Buffer): DecodedBmp;
  }
  export = bmpJs;
}
