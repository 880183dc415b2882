"""The GPT of `pnpm bench:train` in PyTorch (one thread): nanoGPT's CPU baby GPT (4 layers, 4 heads,
embedding 128, block 64, batch 12, dropout 0, lm_head tied to wte, tanh GELU as annet's gptModel
default), AdamW (lr 1e-3, betas 0.9/0.99, weight decay 0.1 on parameters of rank >= 2 only),
gradient clipping at norm 1, random windows of the same tokens annet trains on.

Usage: python3 torch_gpt.py TOKENS.i32 VOCABULARY ITERATIONS WARMUP SEED [VALIDATION.i32]
Prints one JSON line like bench/gpt-loop.ts's; with VALIDATION.i32 it adds the mean loss over
every non-overlapping validation window (the figure annet-train --task text reports last).
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_common import backend_name

torch.set_num_threads(1)
path, vocabulary, iterations, warmup, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
with open(path, 'rb') as file:
    tokens = torch.frombuffer(bytearray(file.read()), dtype=torch.int32).long()
torch.manual_seed(seed)
E, T, L, H, B = 128, 64, 4, 4, 12


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(E), nn.LayerNorm(E)
        self.attn, self.proj = nn.Linear(E, 3 * E), nn.Linear(E, E)
        self.fc, self.out = nn.Linear(E, 4 * E), nn.Linear(4 * E, E)
        self.register_buffer('mask', torch.triu(torch.ones(T, T, dtype=torch.bool), 1))

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.attn(self.ln1(x)).split(E, dim=2)
        q, k, v = (z.view(b, t, H, E // H).transpose(1, 2) for z in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(E // H)
        weights = F.softmax(scores.masked_fill(self.mask[:t, :t], float('-inf')), dim=-1)
        x = x + self.proj((weights @ v).transpose(1, 2).contiguous().view(b, t, E))
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate='tanh'))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocabulary, E), nn.Embedding(T, E)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(E)
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, std=0.02)
            if isinstance(module, nn.Linear):
                nn.init.zeros_(module.bias)
        for block in self.blocks:
            for module in (block.proj, block.out):
                nn.init.normal_(module.weight, std=0.02 / math.sqrt(2 * L))

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x) @ self.wte.weight.t()


model = GPT()
decay = [p for p in model.parameters() if p.dim() >= 2]
no_decay = [p for p in model.parameters() if p.dim() < 2]
optimizer = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.1}, {'params': no_decay, 'weight_decay': 0.0}], lr=1e-3, betas=(0.9, 0.99))
losses = []
start = 0.0
for iteration in range(warmup + iterations):
    if iteration == warmup:
        start = time.perf_counter()
    offsets = torch.randint(len(tokens) - T - 1, (B,))
    x = torch.stack([tokens[o:o + T] for o in offsets])
    y = torch.stack([tokens[o + 1:o + T + 1] for o in offsets])
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, vocabulary), y.view(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    losses.append(loss.item())
seconds = time.perf_counter() - start
extra = {}
if len(sys.argv) > 6:
    with open(sys.argv[6], 'rb') as file:
        validation = torch.frombuffer(bytearray(file.read()), dtype=torch.int32).long()
    count = (len(validation) - 1) // T
    total = 0.0
    with torch.no_grad():
        for first in range(0, count, 60):
            rows = range(first, min(count, first + 60))
            x = torch.stack([validation[r * T:r * T + T] for r in rows])
            y = torch.stack([validation[r * T + 1:r * T + T + 1] for r in rows])
            total += F.cross_entropy(model(x).view(-1, vocabulary), y.view(-1), reduction='sum').item()
    extra = {'validationLoss': round(total / (count * T), 4), 'validationWindows': count}
print(json.dumps({**extra, 
    'model': 'gpt', 'backend': backend_name(), 'batch': B, 'blockSize': T, 'iterations': iterations,
    'tokensPerSecond': round(iterations * B * T / seconds), 'msPerIteration': round(seconds * 1000 / iterations, 2),
    'finalLoss': round(sum(losses[-10:]) / len(losses[-10:]), 4), 'parameters': sum(p.numel() for p in model.parameters()),
}))
