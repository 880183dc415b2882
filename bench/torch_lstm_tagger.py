"""The LSTM tagger of `pnpm bench:train` in PyTorch (one thread): the demo's `--task tag` model
(embedding, bidirectional LSTM with both directions' outputs concatenated at every step, dropout,
dense to one logit per tag), its optimizer as annet built it, softmax cross-entropy over every
token, on the same synthetic sentences in the same order (bench/tagger-loop.ts).

Usage: python3 torch_lstm_tagger.py WORDS.i32 TAGS.i32 CONFIG_JSON
CONFIG_JSON: {"count","length","words","tags","embedding","hidden","dropout","batch","iterations",
"warmup","seed","optimizer":{"type","config"}}. Prints one JSON line like bench/tagger-loop.ts's.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_common import backend_name, build_optimizer, parameter_count

torch.set_num_threads(1)
words_path, tags_path, config = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
count, length, batch = config['count'], config['length'], config['batch']


def read(path):
    with open(path, 'rb') as file:
        return torch.frombuffer(bytearray(file.read()), dtype=torch.int32).long().view(count, length)


words, tags = read(words_path), read(tags_path)
torch.manual_seed(config['seed'])


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(config['words'], config['embedding'], padding_idx=0)
        self.lstm = nn.LSTM(config['embedding'], config['hidden'], batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(config['dropout'])
        self.dense = nn.Linear(2 * config['hidden'], config['tags'])
        # annet's initial distributions (the LSTM's, U(+-1/sqrt(hidden)), are already PyTorch's):
        # embeddings U(-0.05, 0.05) with the padding row zero, Glorot-uniform dense weights, zero bias.
        nn.init.uniform_(self.embedding.weight, -0.05, 0.05)
        with torch.no_grad():
            self.embedding.weight[0].zero_()
        nn.init.xavier_uniform_(self.dense.weight)
        nn.init.zeros_(self.dense.bias)

    def forward(self, x):
        return self.dense(self.dropout(self.lstm(self.embedding(x))[0]))


model = Tagger()
model.train()
optimizer = build_optimizer(model.parameters(), config['optimizer'])
losses = []
start = 0.0
for iteration in range(config['warmup'] + config['iterations']):
    if iteration == config['warmup']:
        start = time.perf_counter()
    rows = torch.arange(iteration * batch, (iteration + 1) * batch) % count
    logits = model(words[rows])
    loss = F.cross_entropy(logits.reshape(-1, config['tags']), tags[rows].reshape(-1), ignore_index=-100)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
seconds = time.perf_counter() - start
iterations = config['iterations']
print(json.dumps({
    'model': 'lstm', 'backend': backend_name(), 'batch': batch, 'sentenceLength': length,
    'iterations': iterations, 'tokensPerSecond': round(iterations * batch * length / seconds),
    'msPerStep': round(seconds * 1000 / iterations, 2), 'finalLoss': round(sum(losses[-10:]) / len(losses[-10:]), 4),
    'parameters': parameter_count(model),
}))
