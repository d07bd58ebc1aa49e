// Sharing what the page shows: the share and embed dialog, and downloads. Every text here goes
// in with textContent, never as markup.
import { $, el } from '../views/kit/dom.js';
import { saveFile } from '../views/kit/save.js';

// A dialog showing `text` to copy. Copying goes through the clipboard API when the page may
// use it, and otherwise leaves the text selected for Ctrl+C (a page opened from file:// or
// inside an iframe may not write to the clipboard).
// `embed` ({ views, all, snippet(views, width) }): the dialog offers the views and the width, and
// remakes the snippet from them.
export function openShareDialog(title, help, text, embed = null) {
  const dialog = $('share-dialog');
  $('share-title').textContent = title;
  $('share-help').textContent = help;
  $('share-text').value = text;
  $('embed-options').hidden = !embed;
  if (embed) showEmbedOptions(embed);
  $('share-status').textContent = '';
  if (!dialog.open) dialog.showModal();
  $('share-text').select();
}

// A width a host page can take: a number of pixels or a percentage.
const WIDTH = /^(\d{2,4})(px|%)?$/;

function showEmbedOptions({ views, all, snippet }) {
  const boxes = all.map((view) => {
    const box = el('input');
    box.type = 'checkbox';
    box.value = view;
    box.checked = views.includes(view);
    const label = el('label');
    label.append(box, ` ${view}`);
    return label;
  });
  $('embed-views').replaceChildren(...boxes);
  let width = '100%';
  const remake = () => {
    const chosen = boxes
      .map((l) => l.firstChild)
      .filter((b) => b.checked)
      .map((b) => b.value);
    $('embed-views-note').textContent = chosen.length
      ? ''
      : `No view chosen: the snippet shows ${views.join(' and ')}.`;
    const field = $('embed-width');
    const text = field.value.trim() || '100%';
    const ok = WIDTH.test(text);
    field.setAttribute('aria-invalid', String(!ok));
    $('embed-width-error').textContent = ok
      ? ''
      : `width: "${text.slice(0, 20)}" is not a width; write pixels (640) or a percentage (100%). Still using ${width}.`;
    if (ok) width = /^\d+$/.test(text) ? `${text}px` : text;
    $('share-text').value = snippet(chosen.length ? chosen : views, width, $('embed-theme').value || undefined);
  };
  $('embed-options').onchange = remake;
  $('embed-width').oninput = remake;
  remake();
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

// The snippet a writer pastes: the iframe (480 high where the host allows no script), and a few
// lines that size it to what the embed asks for, from messages of the embed's origin only.
export function embedSnippet(url, title, width = '100%') {
  const escape = (text) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  const origin = new URL(url).origin;
  const iframe =
    `<iframe src="${escape(url)}" width="${escape(String(width))}" height="480" style="border:0;max-width:100%" ` +
    `title="${escape(title)}" loading="lazy" data-bnlab></iframe>`;
  if (origin === 'null') return iframe; // a page opened from a file: no origin to trust
  const script =
    `<script>addEventListener('message',function(e){if(e.origin!==${JSON.stringify(origin)}||!e.data||e.data.type!=='bnlab:height')return;` +
    `var f=document.querySelectorAll('iframe[data-bnlab]');for(var i=0;i<f.length;i++)` +
    `if(f[i].contentWindow===e.source)f[i].style.height=Math.min(4000,Math.max(200,+e.data.height||0))+'px';});</script>`;
  return `${iframe}\n${script}`;
}

export const download = (filename, text, type = 'application/json') => saveFile(filename, text, type);
