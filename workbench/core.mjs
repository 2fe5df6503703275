// Core: DOM helpers, the API key, calls to the API, formatting.

export const $ = (id) => document.getElementById(id);

/** Makes an element. `attributes`: `class`, `text`, `on` ({event: handler}), `value`/`checked` (set as
 *  properties); anything else is set as an attribute (skipped when null, undefined or false). */
export function el(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else if (name === 'value' || name === 'checked') node[name] = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of [].concat(children === undefined ? [] : children)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

let idCounter = 0;
export const uid = (prefix) => `${prefix}-${++idCounter}`;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The API key, kept in this browser's local storage. */
export const apiKey = {
  storageName: 'spool.apiKey',
  get() {
    try { return localStorage.getItem(this.storageName) || ''; } catch (error) { return ''; }
  },
  set(value) {
    try {
      if (value) localStorage.setItem(this.storageName, value); else localStorage.removeItem(this.storageName);
    } catch (error) { /* storage refused (private mode): the key lives until the page closes */ }
    this.memory = value;
  },
};

/** An error answer of the API, in the contract's shape. */
export class ApiError extends Error {
  constructor(status, body, text) {
    const error = (body && body.error) || {};
    super(error.message || `The server answered ${status}${text ? ': ' + text.slice(0, 200) : ''}.`);
    this.status = status;
    this.code = error.code || 'http_' + status;
    this.details = Array.isArray(error.details) ? error.details : [];
  }
}

export function authHeaders(extra) {
  const headers = Object.assign({ Accept: 'application/json' }, extra || {});
  const key = apiKey.get() || apiKey.memory;
  if (key) headers.Authorization = 'Bearer ' + key;
  return headers;
}

/** Calls the API; resolves with {status, json}, rejects with an ApiError for any non-2xx answer. */
export async function api(method, path, body) {
  const init = { method, headers: authHeaders() };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (error) { json = null; }
  if (!response.ok) throw new ApiError(response.status, json, text);
  return { status: response.status, json };
}

const terminalStatuses = ['completed', 'failed', 'cancelled'];
export const isTerminal = (job) => Boolean(job) && terminalStatuses.includes(job.status);

/** "aspect_ratio" → "Aspect ratio". */
export function humanize(name) {
  const words = String(name).replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
    .replace(/\burl\b/g, 'URL').replace(/\burls\b/g, 'URLs').replace(/\bid\b/g, 'ID');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** 4.2 → "4.2 s", 65 → "1 min 05 s". */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
}

/** 65.3 → "1:05". */
export function formatClock(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '0:00';
  return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
}

export function formatTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Quotes a word for a POSIX shell. */
export const shellQuote = (text) => `'${String(text).replace(/'/g, `'\\''`)}'`;

/** A short, stable text for a value, to show and to compare. */
export function compact(value) {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const imageURL = (text) => /^data:image\//i.test(text) || /^https?:\/\/[^\s]+\.(png|jpe?g|webp|gif|avif)([?#]\S*)?$/i.test(text);

/** A long text cut for display; data: URIs keep only their media type and size. */
function shorten(text, limit) {
  if (/^data:/i.test(text)) {
    const comma = text.indexOf(',');
    return `${text.slice(0, Math.min(comma + 1, 40))}… (${(text.length / 1024).toFixed(1)} kB)`;
  }
  return text.length > limit ? text.slice(0, limit - 1) + '…' : text;
}

/** A value of a job's input for people: image URLs as thumbnails, long texts cut, lists and objects laid out. */
export function renderValue(value) {
  if (typeof value === 'string') {
    const text = el('span', { class: 'value-text', title: value.length > 160 && !/^data:/i.test(value) ? value : null, text: shorten(value, 160) });
    if (!imageURL(value)) return text;
    return el('span', { class: 'value-image' }, [el('img', { class: 'thumb small', src: value, alt: '', referrerpolicy: 'no-referrer', loading: 'lazy' }), text]);
  }
  if (Array.isArray(value)) return el('ol', { class: 'value-list' }, value.map((item) => el('li', {}, renderValue(item))));
  if (value && typeof value === 'object') {
    return el('dl', { class: 'value-object' }, Object.entries(value).flatMap(([name, member]) => [
      el('dt', { text: humanize(name) }), el('dd', {}, renderValue(member))]));
  }
  return el('span', { class: 'value-text', text: JSON.stringify(value) });
}

/** Shows a message in the page's status line (read out by screen readers). */
export function notify(message, kind) {
  const notice = $('notice');
  notice.textContent = message;
  notice.className = 'notice' + (kind ? ' ' + kind : '');
  notice.hidden = !message;
  clearTimeout(notify.timer);
  if (message && kind !== 'error') notify.timer = setTimeout(() => { notice.hidden = true; }, 8000);
}
