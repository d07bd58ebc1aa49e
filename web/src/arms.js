// One colour and one name per arm, the same everywhere: scoreboard, cards, legends, settings,
// claims (Paul Tol's colour-blind-safe "bright" scheme). `about` says what the name means.
export const ARMS = {
  plain: { color: '#cc6677', label: 'plain', about: 'no normalization' },
  'bn-before': { color: '#4477aa', label: 'BN before', about: 'BN before each nonlinearity, the paper\'s z = g(BN(Wu))' },
  'bn-after': { color: '#228833', label: 'BN after', about: 'BN after each nonlinearity' },
};

export const armColor = (name) => ARMS[name]?.color ?? '#666666';
export const armLabel = (name) => ARMS[name]?.label ?? name;
export const armAbout = (name) => ARMS[name]?.about ?? name;

// Whether an arm has BatchNorm layers: every arm but plain, when there is a hidden layer.
export const hasBn = (name, depth) => name !== 'plain' && depth > 0;
