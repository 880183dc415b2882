"""The LSTM benchmark of bench/lstm.ts in PyTorch: forward + backward of torch.nn.LSTM on CPU, one thread.

Usage: python3 lstm_torch.py BATCH TIME INPUT HIDDEN REPEATS
Prints one JSON line: {"torch": version, "medianMs": ..., "bestMs": ...}.
"""
import json
import sys
import time

import torch

batch, steps, input_size, hidden, repeats = (int(value) for value in sys.argv[1:6])
torch.set_num_threads(1)
torch.manual_seed(0)
lstm = torch.nn.LSTM(input_size, hidden, batch_first=True)
x = torch.randn(batch, steps, input_size, requires_grad=True)
dy = torch.randn(batch, steps, hidden)


def step():
    lstm.zero_grad(set_to_none=True)
    x.grad = None
    output, _ = lstm(x)
    output.backward(dy)


for _ in range(5):
    step()
times = []
for _ in range(repeats):
    start = time.perf_counter()
    step()
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(json.dumps({'torch': torch.__version__, 'medianMs': times[len(times) // 2], 'bestMs': times[0]}))
