// The lessons on the page: the scenario menu, and the banner of the running lesson with its
// claims, each with ✓ or ✗ and the numbers behind it for this run. The verdicts come from the
// worker (claims.js evaluated on the run); this module only displays them. Every text goes in
// with textContent, never as markup.
import { $, el } from './dom.js';
import { SCENARIOS, SEEDS, findLesson, variantClaims } from './scenarios.js';
import { SWEEP_LESSONS } from './sweep-lessons.js';
import { configToFragment } from './url-state.js';


// A lesson variant's share link (a sweep lesson's carries its sweep).
function variantHref(lesson, variant, schema, defaults) {
  const scenario = lesson.id === 'default' ? undefined : lesson.id;
  return configToFragment({ ...defaults, ...variant.config }, schema, { scenario, sweep: variant.sweep });
}

// A lesson's variants as links, separated by middle dots; each knows which variant it is, so
// the running one can be marked.
function variantLinks(lesson, schema, defaults) {
  return lesson.variants.flatMap((variant, i) => {
    const a = el('a', 'variant', variant.label);
    a.href = variantHref(lesson, variant, schema, defaults);
    a.dataset.lesson = lesson.id;
    a.dataset.variant = String(i);
    return i ? [' · ', a] : [a];
  });
}

export function renderScenarios(schema, defaults) {
  const first = SWEEP_LESSONS[0];
  $('sweep-lesson-link').href = variantHref(first, first.variants[0], schema, defaults);
  $('scenario-list').replaceChildren(...[...SCENARIOS, ...SWEEP_LESSONS].map((scenario) => {
    const li = el('li');
    // The title opens the first variant too: students click names.
    const title = el('a', 'scenario-title', scenario.title);
    title.href = variantHref(scenario, scenario.variants[0], schema, defaults);
    li.append(title, ' ', ...variantLinks(scenario, schema, defaults));
    return li;
  }));
}

// Marks the running variant's links (menu and banner) with aria-current.
function markRunning(info) {
  for (const a of document.querySelectorAll('a.variant')) {
    const running = Boolean(info?.id) && a.dataset.lesson === info.id && Number(a.dataset.variant) === info.variant;
    if (running) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  }
}

let shown = null;  // { lesson, variant } of the banner's claims

// The banner for what the worker says the run is: a lesson ({ id, variant, pace, horizon }),
// a scenario whose settings were changed ({ modifiedFrom }), or nothing.
export function showLesson(info, schema, defaults) {
  const banner = $('scenario-banner');
  const lesson = info?.id ? findLesson(info.id) : info?.modifiedFrom ? findLesson(info.modifiedFrom) : null;
  banner.hidden = !lesson;
  banner.classList.toggle('modified', Boolean(info?.modifiedFrom));
  shown = info?.id ? { lesson, variant: lesson.variants[info.variant] } : null;
  $('claims').replaceChildren();
  if (!lesson) {
    markRunning(null);
    return;
  }
  if (info.modifiedFrom) {
    $('scenario-title').textContent = `Modified from “${lesson.title}”`;
    $('scenario-text').textContent = 'A setting differs from the lesson\'s, so its claims, which were '
      + 'tested for its own settings, are not shown. Back to the lesson:';
    $('scenario-variants').replaceChildren(...variantLinks(lesson, schema, defaults));
  } else {
    $('scenario-title').textContent = lesson.title;
    $('scenario-text').textContent = `${lesson.text} It runs at ${info.pace.toLocaleString('en')} steps a second `
      + `and pauses at step ${info.horizon.toLocaleString('en')}, where its claims are checked:`;
    $('scenario-variants').replaceChildren(...(lesson.variants.length > 1 ? variantLinks(lesson, schema, defaults) : []));
    $('claims').replaceChildren(...variantClaims(lesson, shown.variant).map((claim) => {
      const li = el('li', 'claim pending');
      li.append(el('span', 'mark', '⋯'), el('span', 'claim-text', claim.text), el('span', 'claim-detail', ''),
        el('span', 'claim-seeds', ` (holds in ${claim.held} of seeds 1–${SEEDS})`));
      return li;
    }));
  }
  markRunning(info);
}

// The claims' verdicts from a snapshot: before the horizon, pending with the numbers so far;
// at the horizon ✓ or ✗; after it, the horizon's verdict, and the numbers now when they no
// longer agree with it.
export function showClaims(claims, steps) {
  if (!claims || !shown) return;
  const items = $('claims').children;
  const at = claims.horizon.toLocaleString('en');
  claims.now.forEach((now, i) => {
    const li = items[i];
    if (!li) return;
    const then = claims.atHorizon?.[i];
    const verdict = then ?? null;
    li.className = `claim ${verdict ? (verdict.ok ? 'holds' : 'fails') : 'pending'}`;
    li.querySelector('.mark').textContent = verdict ? (verdict.ok ? '✓' : '✗') : '⋯';
    li.querySelector('.mark').setAttribute('aria-label', verdict ? (verdict.ok ? 'holds' : 'does not hold') : 'not checked yet');
    let detail = verdict ? `: ${verdict.detail}` : `: so far ${now.detail} (checked at step ${at})`;
    if (verdict && steps > claims.horizon && now.ok !== verdict.ok) {
      detail += `; now, at step ${steps.toLocaleString('en')}, it ${now.ok ? 'holds' : 'no longer holds'}: ${now.detail}`;
    }
    li.querySelector('.claim-detail').textContent = detail;
  });
}

// Brings the banner into view (after a scenario was chosen from the menu).
export function revealLesson() {
  const banner = $('scenario-banner');
  if (!banner.hidden) banner.scrollIntoView({ block: 'start' });
}
