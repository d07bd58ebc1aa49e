// Sharing what the page shows: the share and embed dialog, the data download and the embed
// layout. Every text here goes in with textContent, never as markup.
import { VIEWS } from './url-state.js';

const $ = (id) => document.getElementById(id);
const VIEW_SECTIONS = { boundary: 'view-boundary', loss: 'view-loss', ics: 'view-ics', gradients: 'view-gradients', noise: 'view-noise', sweep: 'view-sweep' };
export const DEFAULT_EMBED_VIEWS = ['boundary', 'loss'];

// A dialog showing `text` to copy. Copying goes through the clipboard API when the page may
// use it, and otherwise leaves the text selected for Ctrl+C (a page opened from file:// or
// inside an iframe may not write to the clipboard).
export function openShareDialog(title, help, text) {
  const dialog = $('share-dialog');
  $('share-title').textContent = title;
  $('share-help').textContent = help;
  $('share-text').value = text;
  $('share-status').textContent = '';
  if (!dialog.open) dialog.showModal();
  $('share-text').select();
}

export function initShareDialog() {
  const dialog = $('share-dialog');
  $('share-close').addEventListener('click', () => dialog.close());
  $('share-copy').addEventListener('click', async () => {
    const area = $('share-text');
    area.select();
    try {
      await navigator.clipboard.writeText(area.value);
      $('share-status').textContent = 'Copied.';
    } catch {
      $('share-status').textContent = 'Press Ctrl+C (⌘C) to copy the selected text.';
    }
  });
}

// The full page's address for a fragment: the current page without its fragment.
export function pageUrl(fragment) {
  return `${window.location.href.split('#')[0]}${fragment}`;
}

export function embedSnippet(url, title) {
  const escape = (text) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return `<iframe src="${escape(url)}" width="640" height="480" style="border:0;max-width:100%" `
    + `title="${escape(title)}" loading="lazy"></iframe>`;
}

export function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// The embed layout: only the chosen views, a play/pause control, and a link to the full page.
// Returns the ids of the sections shown (embed-layout.js fits them into the frame).
export function applyEmbed(options, fullUrl) {
  const embed = Boolean(options.embed);
  document.body.classList.toggle('embed', embed);
  const views = embed ? (options.views?.length ? options.views : DEFAULT_EMBED_VIEWS) : VIEWS;
  for (const [view, id] of Object.entries(VIEW_SECTIONS)) $(id).hidden = !views.includes(view);
  $('notes').hidden = embed;
  document.body.dataset.views = String(views.length);
  const link = $('open-full');
  link.hidden = !embed;
  link.href = fullUrl;
  return Object.entries(VIEW_SECTIONS).filter(([view]) => views.includes(view)).map(([, id]) => id);
}
