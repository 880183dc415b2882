"""The residual CNN of `pnpm bench:train` in PyTorch (one thread): the demo's `--model resnet`
(stem 3x3 conv x16 without bias + BatchNorm + ReLU + 2x2 max pool; basic residual blocks 16->16,
16->32 stride 2 and 32->64 stride 2 with 1x1 projection shortcuts + BatchNorm; global average
pooling; dense 64->10), BatchNorm eps 1e-5 and momentum 0.1 as annet's, annet's 'same' padding
(total max((ceil(n/s)-1)s+k-n, 0), the extra pixel at the bottom and right), the optimizer as annet
built it, softmax cross-entropy, on the same images in the same order (bench/resnet-loop.ts).

Usage: python3 torch_resnet.py INPUTS.f32 LABELS.i32 CONFIG_JSON
CONFIG_JSON: {"samples","batch","iterations","warmup","seed","optimizer":{"type","config"}}.
Prints one JSON line like bench/resnet-loop.ts's.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_common import backend_name, build_optimizer, parameter_count

torch.set_num_threads(1)
inputs_path, labels_path, config = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
samples, batch = config['samples'], config['batch']
with open(inputs_path, 'rb') as file:
    images = torch.frombuffer(bytearray(file.read()), dtype=torch.float32).view(samples, 1, 28, 28)
with open(labels_path, 'rb') as file:
    labels = torch.frombuffer(bytearray(file.read()), dtype=torch.int32).long()
torch.manual_seed(config['seed'])


class SameConv(nn.Module):
    """Conv2d without bias and annet's 'same' padding: symmetric through the convolution, else F.pad first."""

    def __init__(self, inputs, outputs, kernel, stride, size):
        super().__init__()
        total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
        self.before, self.after = total // 2, total - total // 2
        symmetric = self.before == self.after
        self.conv = nn.Conv2d(inputs, outputs, kernel, stride, padding=self.before if symmetric else 0, bias=False)
        self.pad = None if symmetric else (self.before, self.after, self.before, self.after)

    def forward(self, x):
        return self.conv(x if self.pad is None else F.pad(x, self.pad))


class Block(nn.Module):
    def __init__(self, inputs, outputs, stride, size):
        super().__init__()
        self.conv1, self.bn1 = SameConv(inputs, outputs, 3, stride, size), nn.BatchNorm2d(outputs)
        self.conv2, self.bn2 = SameConv(outputs, outputs, 3, 1, math.ceil(size / stride)), nn.BatchNorm2d(outputs)
        self.shortcut = None
        if stride != 1 or inputs != outputs:
            self.shortcut = nn.Sequential(SameConv(inputs, outputs, 1, stride, size), nn.BatchNorm2d(outputs))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(SameConv(1, 16, 3, 1, 28), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
        self.blocks = nn.Sequential(Block(16, 16, 1, 14), Block(16, 32, 2, 14), Block(32, 64, 2, 7))
        self.dense = nn.Linear(64, 10)

    def forward(self, x):
        return self.dense(self.blocks(self.stem(x)).mean(dim=(2, 3)))


model = ResNet()
# annet's initial distributions: He-normal convolutions (the demo's activationHint 'relu'), Glorot-uniform dense, zero bias.
for module in model.modules():
    if isinstance(module, nn.Conv2d):
        nn.init.kaiming_normal_(module.weight, nonlinearity='relu')
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)
model.train()
optimizer = build_optimizer(model.parameters(), config['optimizer'])
losses = []
start = 0.0
for iteration in range(config['warmup'] + config['iterations']):
    if iteration == config['warmup']:
        start = time.perf_counter()
    rows = torch.arange(iteration * batch, (iteration + 1) * batch) % samples
    loss = F.cross_entropy(model(images[rows]), labels[rows])
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
seconds = time.perf_counter() - start
iterations = config['iterations']
print(json.dumps({
    'model': 'resnet', 'backend': backend_name(), 'batch': batch, 'iterations': iterations,
    'samplesPerSecond': round(iterations * batch / seconds), 'msPerStep': round(seconds * 1000 / iterations, 2),
    'finalLoss': round(sum(losses[-10:]) / len(losses[-10:]), 4), 'parameters': parameter_count(model),
}))
