"""Shared by bench/torch_lstm_tagger.py and bench/torch_resnet.py: the optimizer annet used, rebuilt in PyTorch."""
import torch


def build_optimizer(parameters, spec):
    """torch.optim.AdamW or Adam from annet's optimizer `type` and `config` (Optimizer.type, Optimizer.config).

    Refuses what it cannot reproduce (parameter groups, maximize, another optimizer), so the two
    sides never train with different rules unnoticed.
    """
    kind, config = spec['type'], spec['config']
    if kind not in ('AdamW', 'Adam') or config.get('groups') or config.get('maximize'):
        raise SystemExit(f'torch_common.build_optimizer: cannot reproduce {kind} {config}')
    optimizer = torch.optim.AdamW if kind == 'AdamW' else torch.optim.Adam
    return optimizer(parameters, lr=config['learningRate'], betas=(config['beta1'], config['beta2']),
                     eps=config['epsilon'], weight_decay=config['weightDecay'], amsgrad=config['amsgrad'])


def backend_name():
    """How the JSON lines name PyTorch."""
    return f'pytorch {torch.__version__} (1 thread)'


def parameter_count(model):
    """Trainable values (BatchNorm's running statistics are buffers, not parameters, on both sides)."""
    return sum(p.numel() for p in model.parameters())
