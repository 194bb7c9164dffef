// The hero image of the bench's second page: a 1280×640 PNG of a dawn sky with fine grain, made
// here (no binary in the repository) and weighing about what a real hero photo does (~200 kB),
// so that it competes with each product's files for the emulated line as a real one would.
import { crc32, deflateSync } from 'node:zlib';

export const HERO = { width: 1280, height: 640 };

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function heroImage() {
  const { width, height } = HERO;
  const rows = Buffer.alloc((width * 3 + 1) * height);
  let seed = 42;
  const grain = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >> 16) % 3;
  };
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    rows[row] = 0; // no filter
    let speck = 0;
    for (let x = 0; x < width; x++) {
      // Grain in specks of four pixels: enough detail to weigh what a photo weighs.
      if (x % 4 === 0) speck = grain();
      const sky = y / height;
      const at = row + 1 + x * 3;
      rows[at] = Math.min(255, 120 + 110 * sky + speck);
      rows[at + 1] = Math.min(255, 140 + 60 * sky + (x / width) * 30 + speck);
      rows[at + 2] = Math.min(255, 200 - 80 * sky + speck);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
