// One colour and one name per arm, the same everywhere: scoreboard, cards, legends, settings,
// claims (Paul Tol's colour-blind-safe "bright" scheme). `about` says what the name means.
// `bn`: the arm has BatchNorm layers (its batch statistics, running averages and jitter are
// shown). Adding an arm is one entry here (and its kind in the engine's config.cpp).
export const ARMS = {
  plain: { color: '#cc6677', label: 'plain', about: 'no normalization', bn: false },
  'bn-before': {
    color: '#4477aa',
    label: 'BN before',
    about: "BN before each nonlinearity, the paper's z = g(BN(Wu))",
    bn: true,
  },
  'bn-after': { color: '#228833', label: 'BN after', about: 'BN after each nonlinearity', bn: true },
  'ln-before': {
    color: '#332288',
    label: 'LayerNorm',
    about: 'LayerNorm before each nonlinearity: each example normalized over its own layer, no batch statistics',
    bn: false,
  },
  'bn-noisy': {
    color: '#009988',
    label: 'noisy BN',
    about:
      'BN before each nonlinearity, then a random shift and scale per unit, redrawn every step (Santurkar et al. 2018)',
    bn: true,
  },
  dropout: {
    color: '#ee7733',
    label: 'dropout',
    about: "plain with dropout on each hidden layer's output (off at inference)",
    bn: false,
  },
};

export const armColor = (name) => ARMS[name]?.color ?? '#666666';
export const armLabel = (name) => ARMS[name]?.label ?? name;
export const armAbout = (name) => ARMS[name]?.about ?? name;

// Whether an arm has BatchNorm layers, when there is a hidden layer.
export const hasBn = (name, depth) => Boolean(ARMS[name]?.bn) && depth > 0;
