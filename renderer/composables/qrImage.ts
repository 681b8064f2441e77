// Sizing a QR code image so that it still decodes from a screenshot: its PNG is drawn at a whole
// number of pixels per module, so it is shown at its own size or a whole multiple of it (never a
// fractional scale, which blurs or unevens the modules), with nearest-neighbour scaling.

export interface PixelSize {
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The width and height in a PNG data URL's header, or null when it is not a PNG we can read. */
export function pngSize(dataUrl: string): PixelSize | null {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/]{32})/.exec(dataUrl);
  if (!match?.[1]) return null;
  // 32 base64 characters (checked above) always decode: the signature and the IHDR chunk.
  const header = atob(match[1]);
  const byte = (index: number) => header.charCodeAt(index);
  if (PNG_SIGNATURE.some((value, index) => byte(index) !== value)) return null;
  if (header.slice(12, 16) !== 'IHDR') return null;
  const word = (at: number) => ((byte(at) << 24) | (byte(at + 1) << 16) | (byte(at + 2) << 8) | byte(at + 3)) >>> 0;
  const width = word(16);
  const height = word(20);
  return width > 0 && height > 0 ? { width, height } : null;
}

/** The smallest whole multiple that makes the code at least `minimum` CSS pixels wide. */
export function qrScale(natural: PixelSize, minimum = 240): number {
  return Math.max(1, Math.ceil(minimum / Math.max(natural.width, natural.height)));
}

/** The size to show the image at: its own size times a whole number. */
export function qrDisplaySize(dataUrl: string, minimum = 240): PixelSize | null {
  const natural = pngSize(dataUrl);
  if (!natural) return null;
  const scale = qrScale(natural, minimum);
  return { width: natural.width * scale, height: natural.height * scale };
}
