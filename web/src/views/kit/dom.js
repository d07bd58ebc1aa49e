// The page's small DOM helpers: an element by id, and a new element with a class and text
// (always textContent, never markup: texts can carry what a link or a user typed).
export const $ = (id) => document.getElementById(id);
export const el = (tag, className, text) => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};
