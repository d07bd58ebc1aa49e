// Sharing what the page shows: the share and embed dialog, and downloads. Every text here goes
// in with textContent, never as markup.
import { $ } from '../views/kit/dom.js';

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

export function embedSnippet(url, title) {
  const escape = (text) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return (
    `<iframe src="${escape(url)}" width="640" height="480" style="border:0;max-width:100%" ` +
    `title="${escape(title)}" loading="lazy"></iframe>`
  );
}

export function download(filename, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
