#!/usr/bin/env python3
"""The NumPy side of `pnpm bench:train`: the same MLP, data and schedule as bench/train.ts.

784-128-64-10, ReLU, softmax cross-entropy, Adam (lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8: PyTorch's and @annet/optimizers' defaults),
float32 throughout, one BLAS thread (set by the caller through OPENBLAS_NUM_THREADS and friends
before NumPy loads). The data come from the files bench/train.ts writes, so both sides train on
identical bytes. The first WARMUP_EPOCHS epochs are untimed, as on the annet side. Prints one JSON line per batch size, in the same fields as the annet side:
  {"model":"mlp","batch":64,"samplesPerSecond":...,"msPerStep":...,"finalLoss":...,"backend":"numpy"}
finalLoss is the mean training loss over the last epoch. The last partial batch of an epoch is
dropped on both sides. Exits 0 with {"skipped": "..."} when NumPy is missing.

Usage: numpy_mlp.py DATA_DIR SAMPLES WARMUP_EPOCHS EPOCHS SEED BATCH [BATCH ...]
"""
import json
import os
import sys
import time


def main(argv):
    if len(argv) < 6:
        print("usage: numpy_mlp.py DATA_DIR SAMPLES WARMUP_EPOCHS EPOCHS SEED BATCH [BATCH ...]", file=sys.stderr)
        return 2
    try:
        import numpy as np
    except ImportError:
        print(json.dumps({"model": "mlp", "backend": "numpy", "skipped": "numpy is not installed"}, separators=(",", ":")))
        return 0
    data_dir, samples, warmup_epochs, epochs, seed = argv[0], int(argv[1]), int(argv[2]), int(argv[3]), int(argv[4])
    batches = [int(value) for value in argv[5:]]
    inputs = np.fromfile(os.path.join(data_dir, "inputs.f32"), dtype="<f4").reshape(samples, 784)
    labels = np.fromfile(os.path.join(data_dir, "labels.i32"), dtype="<i4")
    for batch in batches:
        print(json.dumps(train(np, inputs, labels, batch, warmup_epochs, epochs, seed), separators=(",", ":")), flush=True)
    return 0


def glorot_uniform(np, rng, fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(np.float32)


def he_normal(np, rng, fan_in, fan_out):
    return (rng.standard_normal(size=(fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(np.float32)


def train(np, inputs, labels, batch, warmup_epochs, epochs, seed):
    rng = np.random.default_rng(seed)
    sizes = [784, 128, 64, 10]
    params = []
    # As bench/models.ts: He normal before a ReLU (annet's Dense with activationHint 'relu'), Glorot uniform for the logits.
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        initializer = he_normal if index < len(sizes) - 2 else glorot_uniform
        params.append(initializer(np, rng, fan_in, fan_out))
        params.append(np.zeros(fan_out, dtype=np.float32))
    grads = [np.zeros_like(p) for p in params]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    learning_rate, beta1, beta2, epsilon = np.float32(1e-3), np.float32(0.9), np.float32(0.999), np.float32(1e-8)
    samples = inputs.shape[0]
    steps_per_epoch = samples // batch
    one_hot = np.zeros((batch, 10), dtype=np.float32)
    rows = np.arange(batch)
    step = 0
    epoch_loss = 0.0
    start = time.perf_counter()
    for epoch in range(warmup_epochs + epochs):
        if epoch == warmup_epochs:
            start = time.perf_counter()
        order = rng.permutation(samples)
        epoch_loss = 0.0
        for index in range(steps_per_epoch):
            chosen = order[index * batch:(index + 1) * batch]
            x = inputs[chosen]
            y = labels[chosen]
            w1, b1, w2, b2, w3, b3 = params
            h1 = x @ w1
            h1 += b1
            np.maximum(h1, 0, out=h1)
            h2 = h1 @ w2
            h2 += b2
            np.maximum(h2, 0, out=h2)
            logits = h2 @ w3
            logits += b3
            logits -= logits.max(axis=1, keepdims=True)
            np.exp(logits, out=logits)
            logits /= logits.sum(axis=1, keepdims=True)
            probabilities = logits
            epoch_loss += float(-np.log(probabilities[rows, y] + np.float32(1e-30)).mean())
            one_hot.fill(0)
            one_hot[rows, y] = 1
            d3 = probabilities - one_hot
            d3 /= np.float32(batch)
            np.matmul(h2.T, d3, out=grads[4])
            d3.sum(axis=0, out=grads[5])
            d2 = d3 @ w3.T
            d2 *= h2 > 0
            np.matmul(h1.T, d2, out=grads[2])
            d2.sum(axis=0, out=grads[3])
            d1 = d2 @ w2.T
            d1 *= h1 > 0
            np.matmul(x.T, d1, out=grads[0])
            d1.sum(axis=0, out=grads[1])
            step += 1
            correction1 = np.float32(1 - 0.9 ** step)
            correction2 = np.float32(1 - 0.999 ** step)
            step_size = learning_rate / correction1
            for p, g, m, v in zip(params, grads, first, second):
                m *= beta1
                m += (1 - beta1) * g
                v *= beta2
                v += (1 - beta2) * g * g
                denominator = np.sqrt(v / correction2)
                denominator += epsilon
                p -= step_size * m / denominator
    seconds = time.perf_counter() - start
    steps = steps_per_epoch * epochs
    return {
        "model": "mlp",
        "batch": batch,
        "samplesPerSecond": round(steps * batch / seconds),
        "msPerStep": round(seconds * 1000 / steps, 4),
        "finalLoss": round(epoch_loss / steps_per_epoch, 6),
        "backend": "numpy",
        "parameters": sum(p.size for p in params),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
