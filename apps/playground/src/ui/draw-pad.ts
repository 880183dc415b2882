import { mnistPixelsOf } from './digit-image.js';

/**
 * A black canvas to draw a white digit on with a mouse, pen or finger. After every stroke it
 * calls `onDrawn` with the drawing as 784 MNIST-like pixels (see {@link mnistPixelsOf}).
 *
 * @example
 * const pad = new DrawPad(canvas, (pixels) => worker.predict(pixels));
 */
export class DrawPad {
  private readonly context: CanvasRenderingContext2D;
  private drawing = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onDrawn: (pixels: Float32Array | null) => void,
  ) {
    this.context = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (event) => {
      this.drawing = true;
      canvas.setPointerCapture(event.pointerId);
      this.context.beginPath();
      this.context.moveTo(...this.point(event));
      this.stroke(event);
    });
    canvas.addEventListener('pointermove', (event) => this.drawing && this.stroke(event));
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.onDrawn(this.pixels());
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  /** Wipes the pad (and reports an empty drawing). */
  clear(): void {
    this.context.fillStyle = 'black';
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.onDrawn(null);
  }

  /** The drawing as 784 pixels in [0, 1], or `null` when the pad is empty. */
  pixels(): Float32Array | null {
    const side = this.canvas.width;
    const { data } = this.context.getImageData(0, 0, side, side);
    const ink = new Float32Array(side * side);
    for (let pixel = 0; pixel < ink.length; pixel++) ink[pixel] = data[pixel * 4] / 255;
    return mnistPixelsOf(ink, side);
  }

  private stroke(event: PointerEvent): void {
    const { context } = this;
    context.strokeStyle = 'white';
    context.lineWidth = this.canvas.width / 12;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineTo(...this.point(event));
    context.stroke();
  }

  private point(event: PointerEvent): [number, number] {
    const box = this.canvas.getBoundingClientRect();
    return [
      ((event.clientX - box.left) / box.width) * this.canvas.width,
      ((event.clientY - box.top) / box.height) * this.canvas.height,
    ];
  }
}
