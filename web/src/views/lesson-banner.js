// The lessons on the page: the menu, and the banner of the running lesson with its claims,
// each with ✓ or ✗ and the numbers behind it for this run. The verdicts come from the worker
// (claims.js evaluated on the run); this module only displays them. Every text goes in with
// textContent, never as markup.
import { ALL_LESSONS, lessonFragment as variantHref } from '../lessons/lesson-links.js';
import { bottomLine, findLesson, variantClaims } from '../lessons/lessons.js';
import { SWEEP_LESSONS } from '../lessons/sweep-lessons.js';
import { renderClaims, showBottomLine, showVerdict } from './kit/claim-list.js';
import { $, el } from './kit/dom.js';
import { withGlossary } from './kit/glossary.js';

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

// The menu of lessons, and every link to a lesson in the page's texts (data-lesson-link: its id).
export function renderLessonMenu(schema, defaults) {
  for (const a of document.querySelectorAll('a[data-lesson-link]')) {
    const lesson = findLesson(a.dataset.lessonLink) ?? SWEEP_LESSONS.find((l) => l.id === a.dataset.lessonLink);
    a.href = variantHref(lesson, lesson.variants[0], schema, defaults);
  }
  $('lesson-list').replaceChildren(
    ...ALL_LESSONS.map((lesson) => {
      const li = el('li');
      // The title opens the first variant too: students click names.
      const title = el('a', 'lesson-name', lesson.title);
      title.href = variantHref(lesson, lesson.variants[0], schema, defaults);
      li.append(title, ' ', ...variantLinks(lesson, schema, defaults));
      return li;
    }),
  );
}

// Marks the running variant's links (menu and banner) with aria-current.
function markRunning(info) {
  for (const a of document.querySelectorAll('a.variant')) {
    const running = Boolean(info?.id) && a.dataset.lesson === info.id && Number(a.dataset.variant) === info.variant;
    if (running) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  }
}

let shown = null; // { lesson, variant } of the banner's claims

// The banner for what the worker says the run is: a lesson ({ id, variant, pace, horizon }),
// a lesson whose settings were changed ({ modifiedFrom }), or nothing.
export function showLesson(info, schema, defaults) {
  const banner = $('lesson-banner');
  const lesson = info?.id ? findLesson(info.id) : info?.modifiedFrom ? findLesson(info.modifiedFrom) : null;
  banner.hidden = !lesson;
  banner.classList.toggle('modified', Boolean(info?.modifiedFrom));
  shown = info?.id ? { lesson, variant: lesson.variants[info.variant] } : null;
  $('claims').replaceChildren();
  showBottomLine($('lesson-bottom-line'), null);
  if (!lesson) {
    markRunning(null);
    return;
  }
  if (info.modifiedFrom) {
    $('lesson-title').textContent = `Modified from “${lesson.title}”`;
    $('lesson-text').textContent =
      "A setting differs from the lesson's, so its claims, which were " +
      'tested for its own settings, are not shown. Back to the lesson:';
    $('lesson-variants').replaceChildren(...variantLinks(lesson, schema, defaults));
  } else {
    $('lesson-title').textContent = lesson.title;
    $('lesson-text').replaceChildren(
      ...withGlossary(
        `${lesson.text} It runs at ${info.pace.toLocaleString('en')} steps a second ` +
          `and pauses at step ${info.horizon.toLocaleString('en')}, where its claims are checked:`,
      ),
    );
    $('lesson-variants').replaceChildren(...(lesson.variants.length > 1 ? variantLinks(lesson, schema, defaults) : []));
    renderClaims($('claims'), variantClaims(lesson, shown.variant));
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
    const verdict = claims.atHorizon?.[i] ?? null;
    let detail = verdict ? `: ${verdict.detail}` : `: so far ${now.detail} (checked at step ${at})`;
    if (verdict && steps > claims.horizon && now.ok !== verdict.ok) {
      detail += `; now, at step ${steps.toLocaleString('en')}, it ${now.ok ? 'holds' : 'no longer holds'}: ${now.detail}`;
    }
    showVerdict(li, verdict, detail);
  });
  const line = claims.atHorizon ? bottomLine(shown.lesson, shown.variant, claims.atHorizon) : null;
  showBottomLine($('lesson-bottom-line'), line, `at step ${at}, once the claims are checked.`);
  announceVerdicts(claims, line);
}

// Screen readers hear a lesson's verdicts once, when they are checked, not at every snapshot.
let announced = null;
function announceVerdicts(claims, line) {
  if (!claims.atHorizon) {
    announced = null;
    return;
  }
  const key = `${shown.lesson.id} ${claims.horizon}`;
  if (announced === key) return;
  announced = key;
  const held = claims.atHorizon.filter((c) => c.ok).length;
  $('announcer').textContent =
    `${shown.lesson.title}, at step ${claims.horizon.toLocaleString('en')}: ${held} of ${claims.atHorizon.length} claims hold. Bottom line: ${line}`;
}

// Brings the banner into view (after a lesson was chosen from the menu).
export function revealLesson() {
  const banner = $('lesson-banner');
  if (!banner.hidden) banner.scrollIntoView({ block: 'start' });
}
