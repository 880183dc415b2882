import { add, relu, tensor, zeros, type Tensor } from '../src/index.js';
import { secondsPerCall } from './timing.js';

const n = 1 << 20;
const x = tensor(new Float32Array(n).map((_, i) => Math.sin(i))) as Tensor<'float32'>;
const y = tensor(new Float32Array(n).map((_, i) => Math.cos(i))) as Tensor<'float32'>;
const out = zeros([n]);
function bareAdd(a: Float32Array, b: Float32Array, o: Float32Array) { for (let i = 0; i < a.length; i++) o[i] = a[i] + b[i]; }
function bareRelu(a: Float32Array, o: Float32Array) { for (let i = 0; i < a.length; i++) { const v = a[i]; o[i] = v < 0 ? 0 : v; } }
if (process.argv.includes('--poly')) {
  for (const dtype of ['float64', 'int32'] as const) { const t = zeros([1000], dtype); for (let r = 0; r < 2000; r++) { add(t, t, { out: t }); relu(t, { out: t }); } }
}
const gb = (bytes: number, seconds: number) => (bytes / seconds / 1e9).toFixed(2);
console.log('add', gb(12 * n, secondsPerCall(() => add(x, y, { out }))), 'bare', gb(12 * n, secondsPerCall(() => bareAdd(x.data, y.data, out.data))), 'alloc', gb(12 * n, secondsPerCall(() => add(x, y))));
console.log('relu', gb(8 * n, secondsPerCall(() => relu(x, { out }))), 'bare', gb(8 * n, secondsPerCall(() => bareRelu(x.data, out.data))));
