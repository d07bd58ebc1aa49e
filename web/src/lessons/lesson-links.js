// Where a lesson is reached: a variant's share link (the fragment the lessons' menu links to; a
// sweep lesson's carries its sweep), and the page of its own that link previews show it by
// (dist/lesson/<id>.html, made by web/link-previews.mjs from ALL_LESSONS).
import { configToFragment } from '../shared/link.js';
import { LESSONS } from './lessons.js';
import { SWEEP_LESSONS } from './sweep-lessons.js';

// Every lesson the menu lists, in its order (the default run is no lesson of the menu).
export const ALL_LESSONS = [...LESSONS, ...SWEEP_LESSONS];

export function lessonFragment(lesson, variant, schema, defaults) {
  const id = lesson.id === 'default' ? undefined : lesson.id;
  return configToFragment({ ...defaults, ...variant.config }, schema, { lesson: id, sweep: variant.sweep });
}

// A lesson's preview page, relative to the page's folder.
export const lessonPagePath = (id) => `lesson/${id}.html`;
