import { windowGeometry, type Padding } from '@annet/layers';
import { fusedActivation, weightInitializer, type LayerCall, type LayerConverter } from './layer-conversion.js';

const pair = (value: unknown): [number, number] =>
  typeof value === 'number' ? [value, value] : [(value as number[])[0], (value as number[])[1]];

/** ONNX `pads` ([top, left, bottom, right]) for the layer's padding on its (known) input size, as annet computes it ('same' pads the extra row and column at the bottom and right). */
function padsOf(
  call: LayerCall,
  kernel: [number, number],
  stride: [number, number],
  dilation: [number, number],
): number[] {
  const [, , height, width] = call.inputShapes[0];
  const geometry = windowGeometry(
    `exportOnnx "${call.layer.name}"`,
    height,
    width,
    kernel,
    stride,
    dilation,
    call.config.padding as Padding,
  );
  return [geometry.padTop, geometry.padLeft, geometry.padBottom, geometry.padRight];
}

/** Conv2D (NCHW input, OIHW weights as in ONNX): Conv with strides, dilations and explicit pads, then its fused activation. */
export const convertConv2D: LayerConverter = (call, graph) => {
  const kernel = pair(call.config.kernelSize);
  const stride = pair(call.config.stride);
  const dilation = pair(call.config.dilation);
  const inputs = [call.inputs[0], weightInitializer(call, 'weights', graph)];
  if (call.config.useBias !== false) inputs.push(weightInitializer(call, 'biases', graph));
  const activation = call.config.activation;
  const name = activation === undefined || activation === 'linear' ? call.outputName : `${call.outputName}/linear`;
  const conv = graph.node(
    'Conv',
    inputs,
    { kernel_shape: kernel, strides: stride, dilations: dilation, pads: padsOf(call, kernel, stride, dilation) },
    name,
  );
  return fusedActivation(activation, conv, call, graph);
};

/** MaxPool2D: MaxPool (padding never wins the maximum, as in annet). */
export const convertMaxPool2D: LayerConverter = (call, graph) => {
  const kernel = pair(call.config.poolSize);
  const stride = pair(call.config.stride);
  return graph.node(
    'MaxPool',
    call.inputs,
    { kernel_shape: kernel, strides: stride, pads: padsOf(call, kernel, stride, [1, 1]) },
    call.outputName,
  );
};

/** AvgPool2D: AveragePool, counting padded positions only with `countPadding`. */
export const convertAvgPool2D: LayerConverter = (call, graph) => {
  const kernel = pair(call.config.poolSize);
  const stride = pair(call.config.stride);
  return graph.node(
    'AveragePool',
    call.inputs,
    {
      kernel_shape: kernel,
      strides: stride,
      pads: padsOf(call, kernel, stride, [1, 1]),
      count_include_pad: call.config.countPadding === true ? 1 : 0,
    },
    call.outputName,
  );
};

/** GlobalAveragePooling2D: [N, C, H, W] → [N, C], GlobalAveragePool then Flatten. */
export const convertGlobalAveragePooling2D: LayerConverter = (call, graph) => {
  const pooled = graph.node('GlobalAveragePool', call.inputs, {}, `${call.outputName}/pooled`);
  return graph.node('Flatten', [pooled], { axis: 1 }, call.outputName);
};
