// Renders icon-source.svg without a browser or a dependency. The icon is made of circles, rings
// and one rounded square, so the renderer knows exactly those: each shape's coverage of a pixel
// comes from its signed distance (a one-pixel ramp), which anti-aliases edges at any size.
// Anything else in the SVG is an error, so the source can never show something the icons lack.

export interface Paint {
  red: number;
  green: number;
  blue: number;
}

interface Style {
  fill: Paint | null;
  stroke: Paint | null;
  strokeWidth: number;
  opacity: number;
}

export type Shape =
  | ({ kind: 'circle'; cx: number; cy: number; r: number } & Style)
  | ({ kind: 'rect'; x: number; y: number; width: number; height: number; rx: number } & Style);

export interface SvgImage {
  width: number;
  height: number;
  shapes: Shape[];
}

const IGNORED = new Set(['title', 'desc']);

export function parseSvg(source: string): SvgImage {
  const text = source.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?xml[\s\S]*?\?>/, '');
  const root = /<svg\b([^>]*)>/.exec(text);
  if (!root) throw new Error('no <svg> element');
  const viewBox = (attributes(root[1] ?? '').viewBox ?? '')
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (
    viewBox.length !== 4 ||
    viewBox.some((n) => !Number.isFinite(n)) ||
    viewBox[0] !== 0 ||
    viewBox[1] !== 0
  )
    throw new Error('<svg> needs viewBox="0 0 <width> <height>"');
  const shapes: Shape[] = [];
  const body = text.slice(root.index + root[0].length).replace(/<(title|desc)\b[^>]*>[\s\S]*?<\/\1>/g, '');
  for (const tag of body.matchAll(/<\s*([a-zA-Z][\w:-]*)\b([^>]*?)\/?>/g)) {
    const name = tag[1] as string;
    const attrs = attributes(tag[2] ?? '');
    if (name === 'circle')
      shapes.push({
        kind: 'circle',
        cx: num(attrs, 'cx'),
        cy: num(attrs, 'cy'),
        r: num(attrs, 'r'),
        ...style(attrs),
      });
    else if (name === 'rect')
      shapes.push({
        kind: 'rect',
        x: num(attrs, 'x', 0),
        y: num(attrs, 'y', 0),
        width: num(attrs, 'width'),
        height: num(attrs, 'height'),
        rx: num(attrs, 'rx', 0),
        ...style(attrs),
      });
    else if (!IGNORED.has(name))
      throw new Error(`<${name}> is not supported: the icon renderer draws <circle> and <rect> only`);
  }
  return { width: viewBox[2] as number, height: viewBox[3] as number, shapes };
}

function attributes(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of text.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g))
    result[match[1] as string] = match[2] as string;
  return result;
}

function num(attrs: Record<string, string>, name: string, fallback?: number): number {
  const raw = attrs[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const value = Number(raw);
  if (raw === undefined || !Number.isFinite(value))
    throw new Error(`attribute ${name}="${raw ?? ''}" is not a number`);
  return value;
}

function style(attrs: Record<string, string>): Style {
  return {
    fill: paint(attrs.fill ?? '#000000'),
    stroke: paint(attrs.stroke ?? 'none'),
    strokeWidth: num(attrs, 'stroke-width', 1),
    opacity: num(attrs, 'opacity', 1),
  };
}

function paint(value: string): Paint | null {
  if (value === 'none') return null;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value);
  const hex = short ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}` : value;
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`colour "${value}" is not supported: use #rgb, #rrggbb or none`);
  const [red, green, blue] = match.slice(1).map((h) => Number.parseInt(h, 16)) as [number, number, number];
  return { red, green, blue };
}

/** Signed distance from (x, y) to the shape's outline: negative inside. */
function distance(shape: Shape, x: number, y: number): number {
  if (shape.kind === 'circle') {
    const dx = x - shape.cx;
    const dy = y - shape.cy;
    return Math.sqrt(dx * dx + dy * dy) - shape.r;
  }
  const rx = Math.min(shape.rx, shape.width / 2, shape.height / 2);
  const qx = Math.abs(x - (shape.x + shape.width / 2)) - (shape.width / 2 - rx);
  const qy = Math.abs(y - (shape.y + shape.height / 2)) - (shape.height / 2 - rx);
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0) - rx;
}

/** The shape's extent in image units, stroke included: no pixel outside it can be touched. */
function bounds(shape: Shape): { left: number; top: number; right: number; bottom: number } {
  const pad = shape.stroke ? shape.strokeWidth / 2 : 0;
  if (shape.kind === 'circle')
    return {
      left: shape.cx - shape.r - pad,
      top: shape.cy - shape.r - pad,
      right: shape.cx + shape.r + pad,
      bottom: shape.cy + shape.r + pad,
    };
  return {
    left: shape.x - pad,
    top: shape.y - pad,
    right: shape.x + shape.width + pad,
    bottom: shape.y + shape.height + pad,
  };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** RGBA pixels (straight alpha) of the image at size × size. */
export function renderSvg(image: SvgImage, size: number): Uint8Array {
  const unitsPerPixel = image.width / size;
  const scaleY = image.height / size;
  const rgba = new Float64Array(size * size * 4);
  for (const shape of image.shapes) {
    const layers: Array<[Paint, (d: number) => number]> = [];
    if (shape.fill) layers.push([shape.fill, (d) => d]);
    if (shape.stroke && shape.strokeWidth > 0)
      layers.push([shape.stroke, (d) => Math.abs(d) - shape.strokeWidth / 2]);
    const box = bounds(shape);
    const pixel = (units: number, per: number) => Math.min(size, Math.max(0, Math.floor(units / per)));
    const [x0, x1] = [pixel(box.left, unitsPerPixel) - 1, pixel(box.right, unitsPerPixel) + 1];
    const [y0, y1] = [pixel(box.top, scaleY) - 1, pixel(box.bottom, scaleY) + 1];
    for (const [colour, edge] of layers) {
      for (let py = Math.max(0, y0); py < Math.min(size, y1); py++) {
        const y = (py + 0.5) * scaleY;
        for (let px = Math.max(0, x0); px < Math.min(size, x1); px++) {
          const d = edge(distance(shape, (px + 0.5) * unitsPerPixel, y));
          const alpha = clamp01(0.5 - d / unitsPerPixel) * shape.opacity;
          if (alpha > 0) over(rgba, (py * size + px) * 4, colour, alpha);
        }
      }
    }
  }
  const bytes = new Uint8Array(rgba.length);
  for (let i = 0; i < rgba.length; i++) bytes[i] = Math.round(rgba[i] as number);
  return bytes;
}

/** Porter-Duff "source over", straight alpha, colour channels 0..255, alpha 0..1. */
function over(rgba: Float64Array, at: number, colour: Paint, alpha: number): void {
  const below = (rgba[at + 3] as number) / 255;
  const keep = below * (1 - alpha);
  const out = alpha + keep;
  rgba[at] = (colour.red * alpha + (rgba[at] as number) * keep) / out;
  rgba[at + 1] = (colour.green * alpha + (rgba[at + 1] as number) * keep) / out;
  rgba[at + 2] = (colour.blue * alpha + (rgba[at + 2] as number) * keep) / out;
  rgba[at + 3] = out * 255;
}
