import { Add, BatchNorm, Conv2D, Dense, GlobalAveragePooling2D, MaxPool2D, ReLU } from '@annet/layers';
import { apply, input, Model, type SymbolicTensor } from '@annet/model';

/**
 * One residual block (He et al., 2016, "Deep Residual Learning", the basic block):
 * y = relu(bn(conv3×3(relu(bn(conv3×3(x))))) + shortcut(x)), where the shortcut is x itself when
 * the shape is kept and a 1×1 convolution with BatchNorm (the projection shortcut) when the block
 * changes channels or strides. Convolutions before BatchNorm carry no bias (BatchNorm's β is one).
 *
 * @example
 * const y = residualBlock(x, 16, 32, 2); // [*,16,14,14] → [*,32,7,7]
 */
export function residualBlock(
  x: SymbolicTensor,
  inChannels: number,
  outChannels: number,
  stride: number,
): SymbolicTensor {
  const convolution = (from: number, to: number, kernel: number, step: number) =>
    new Conv2D(from, to, kernel, { stride: step, padding: 'same', useBias: false, activationHint: 'relu' });
  const first = apply(
    new ReLU(),
    apply(new BatchNorm(outChannels), apply(convolution(inChannels, outChannels, 3, stride), x)),
  );
  const second = apply(new BatchNorm(outChannels), apply(convolution(outChannels, outChannels, 3, 1), first));
  const shortcut =
    stride === 1 && inChannels === outChannels
      ? x
      : apply(new BatchNorm(outChannels), apply(convolution(inChannels, outChannels, 1, stride), x));
  return apply(new ReLU(), apply(new Add(), [second, shortcut]));
}

/**
 * The demo's residual CNN for 28×28 digits: a stem (3×3 conv, 16 channels, BatchNorm, ReLU, 2×2
 * max pooling to 14×14), three residual blocks (16 → 16 at 14×14, 16 → 32 at 7×7 and 32 → 64 at
 * 4×4, the last two with projection shortcuts), global average pooling and Dense 64 → 10 logits.
 *
 * @example
 * const model = buildResNet().initialize(42);
 */
export function buildResNet(): Model {
  const image = input({ name: 'image', shape: [1, 28, 28] });
  const stem = apply(
    new MaxPool2D(2),
    apply(
      new ReLU(),
      apply(
        new BatchNorm(16),
        apply(new Conv2D(1, 16, 3, { padding: 'same', useBias: false, activationHint: 'relu' }), image),
      ),
    ),
  );
  const features = residualBlock(residualBlock(residualBlock(stem, 16, 16, 1), 16, 32, 2), 32, 64, 2);
  const logits = apply(new Dense(64, 10), apply(new GlobalAveragePooling2D(), features));
  return new Model({ inputs: image, outputs: { digit: logits }, name: 'resnet' });
}
