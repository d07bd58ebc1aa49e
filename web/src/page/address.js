// The address bar: a link read (the configuration and the page options: embed, views, paused,
// lesson, a sweep), and the running configuration written back, so the address is always a
// share link for what the page shows.
import { configToFragment, parseFragment } from '../shared/link.js';

export function createAddress() {
  const state = {
    options: {}, // the link's page options
    written: null, // the fragment this page wrote last
  };
  return {
    get options() {
      return state.options;
    },
    // A fragment -> { config, notes } (link.js); its page options are kept.
    read(fragment, schema) {
      const link = parseFragment(fragment, schema);
      state.options = link.options;
      return link;
    },
    // Whether a fragment is one this page wrote (not a link pasted into the address bar).
    wrote: (fragment) => fragment === state.written,
    // The configuration, the page options and `extra` ({ lesson, sweep }) as the address.
    write(config, schema, extra) {
      state.written = configToFragment(config, schema, { ...state.options, ...extra });
      if (window.location.hash !== state.written) window.history.replaceState(null, '', state.written);
    },
    // The full page's address for a configuration and options.
    url: (config, schema, options) =>
      `${window.location.href.split('#')[0]}${configToFragment(config, schema, options)}`,
  };
}
