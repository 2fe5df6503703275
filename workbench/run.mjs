// Following a job: its event stream (read with fetch, since EventSource cannot send Authorization), status,
// queue position, elapsed time, fal's log lines, the finished video (Spool's stored copy when it has one, with a
// download link) and the request as curl.

import { $, api, ApiError, apiKey, authHeaders, compact, el, formatDuration, humanize, isTerminal, renderValue, shellQuote, sleep } from './core.mjs';
import { falVideoURL, videoSource } from './files.mjs';

/** Parses text/event-stream as it arrives. `push(text)` returns the events completed by that text. */
class EventStreamParser {
  constructor() {
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.event = { id: null, type: 'message', data: [] };
  }

  push(text) {
    this.buffer += text;
    const events = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A CR at the very end may be the first half of a CRLF: wait for more.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (this.event.data.length) events.push({ id: this.event.id, type: this.event.type, data: this.event.data.join('\n') });
        this.reset();
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.event.data.push(value);
      else if (field === 'event') this.event.type = value;
      else if (field === 'id') this.event.id = value;
    }
    return events;
  }
}

export const run = {
  job: null,
  body: null,
  lastEventID: 0,
  controller: null,
  clock: null,
  revealKey: false,
};

export function followJob(job, body) {
  if (run.controller) run.controller.abort();
  run.job = null;
  run.body = body;
  run.lastEventID = 0;
  $('job-empty').hidden = true;
  $('job-details').hidden = false;
  $('job-log').replaceChildren();
  $('job-result').hidden = true;
  $('job-error').hidden = true;
  const video = $('result-video');
  video.removeAttribute('src');
  delete video.dataset.job;
  video.load();
  $('result-input').replaceChildren();
  renderCurl();
  showJob(job);
  logStatus(job);
  clearInterval(run.clock);
  run.clock = setInterval(showElapsed, 250);
  streamEvents(job.id);
}

/** Reads the job's events until the terminal one, resuming with Last-Event-ID when the stream breaks. */
async function streamEvents(id) {
  const controller = new AbortController();
  run.controller = controller;
  for (let failures = 0; failures < 6 && !controller.signal.aborted && !isTerminal(run.job);) {
    try {
      const headers = authHeaders({ Accept: 'text/event-stream' });
      if (run.lastEventID) headers['Last-Event-ID'] = String(run.lastEventID);
      const response = await fetch(`/v1/jobs/${encodeURIComponent(id)}/events`, { headers, signal: controller.signal });
      if (!response.ok) {
        const text = await response.text();
        let json = null;
        try { json = JSON.parse(text); } catch (error) { json = null; }
        throw new ApiError(response.status, json, text);
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new EventStreamParser();
      let received = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          received += 1;
          handleEvent(event);
        }
      }
      // The server closes only after the terminal event; a close before it that brought nothing counts as a failure.
      failures = received ? 0 : failures + 1;
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status < 500) {
        appendLog({ message: `The event stream was refused: ${error.message}`, level: 'ERROR' });
        return;
      }
      failures += 1;
    }
    if (!isTerminal(run.job) && !controller.signal.aborted) await sleep(500 * (failures + 1));
  }
  if (!isTerminal(run.job) && !controller.signal.aborted) {
    appendLog({ message: 'Lost the event stream; reload the job from the Compare tab later.', level: 'ERROR' });
  }
}

function handleEvent(event) {
  if (event.type === 'status') {
    let job = null;
    try { job = JSON.parse(event.data); } catch (error) { return; }
    if (event.id) run.lastEventID = Number(event.id) || run.lastEventID;
    const before = run.job && run.job.status;
    showJob(job);
    if (job.status !== before) logStatus(job);
  } else if (event.type === 'log') {
    let line;
    try { line = JSON.parse(event.data); } catch (error) { line = { message: event.data }; }
    appendLog(typeof line === 'object' && line ? line : { message: String(line) });
  }
}

function logStatus(job) {
  const place = job.status === 'in_queue' && job.queue_position != null ? ` (position ${job.queue_position})` : '';
  appendLog({ message: `Status: ${job.status}${place}`, level: 'STATUS' });
}

function showJob(job) {
  run.job = job;
  const badge = $('job-status');
  badge.textContent = job.status.replace('_', ' ');
  badge.dataset.status = job.status;
  badge.className = 'badge status-' + job.status;
  $('job-queue').textContent = job.queue_position != null ? String(job.queue_position) : '–';
  $('job-id').textContent = job.id;
  $('job-model').textContent = job.model;
  showElapsed();
  if (job.error) {
    const error = $('job-error');
    error.textContent = `${job.error.code}: ${job.error.message}${job.error.detail ? ' ' + compact(job.error.detail) : ''}`;
    error.hidden = false;
  }
  if (isTerminal(job)) {
    clearInterval(run.clock);
    if (job.status === 'completed') showResult(job);
  }
}

function showElapsed() {
  const job = run.job;
  if (!job) return;
  const start = Date.parse(job.created_at);
  const end = isTerminal(job) && job.completed_at ? Date.parse(job.completed_at) : Date.now();
  $('job-elapsed').textContent = formatDuration((end - start) / 1000);
}

async function showResult(job) {
  let shown = job;
  if (!falVideoURL(job)) {
    try { shown = { ...job, result: (await api('GET', `/v1/jobs/${encodeURIComponent(job.id)}/result`)).json }; } catch (error) { shown = job; }
  }
  const source = await videoSource(shown);
  const url = source.src;
  $('job-result').hidden = false;
  $('result-input').replaceChildren(...Object.entries(job.input || {}).map(([name, value]) =>
    el('div', { 'data-testid': 'input:' + name }, [el('dt', { text: humanize(name) }), el('dd', {}, renderValue(value))])));
  const video = $('result-video');
  if (url && video.dataset.job !== job.id) {
    video.addEventListener('error', () => appendLog({ message: `The video cannot be loaded from ${url}: it may have expired or its server may be gone.`, level: 'ERROR' }), { once: true });
    video.dataset.job = job.id;
    video.dataset.stored = String(source.stored);
    video.src = url;
  }
  $('result-storage').textContent = url ? source.note : '';
  $('result-link').href = url || '#';
  $('result-link').hidden = !url;
  $('result-download').href = source.download || '#';
  $('result-download').hidden = !url;
  if (!url) appendLog({ message: 'The job completed without a video URL.', level: 'ERROR' });
}

function appendLog(line) {
  const list = $('job-log');
  const level = String(line.level || 'INFO').toUpperCase();
  const time = line.timestamp ? new Date(line.timestamp) : new Date();
  const item = el('li', { class: 'log-' + level.toLowerCase() }, [
    el('time', { datetime: time.toISOString(), text: time.toLocaleTimeString() }), ' ',
    el('span', { class: 'level', text: level }), ' ', line.message || compact(line),
  ]);
  list.append(item);
  list.scrollTop = list.scrollHeight;
}

/** The submitted request as a curl command; the key stays hidden (read from $SPOOL_API_KEY) unless revealed. */
export function renderCurl() {
  if (!run.body) return;
  const key = apiKey.get() || apiKey.memory || '';
  const auth = run.revealKey ? shellQuote(`Authorization: Bearer ${key}`) : '"Authorization: Bearer $SPOOL_API_KEY"';
  $('curl-command').textContent = [
    `curl -sS -X POST ${shellQuote(location.origin + '/v1/jobs')}`,
    `-H ${auth}`,
    `-H 'Content-Type: application/json'`,
    `-d ${shellQuote(JSON.stringify(run.body, null, 2))}`,
  ].join(' \\\n  ');
  const toggle = $('curl-reveal');
  toggle.setAttribute('aria-pressed', String(run.revealKey));
  toggle.textContent = run.revealKey ? 'Hide key' : 'Reveal key';
}

export async function copyCurl() {
  const text = $('curl-command').textContent;
  const status = $('curl-copied');
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = 'Copied.';
  } catch (error) {
    const range = document.createRange();
    range.selectNodeContents($('curl-command'));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
  }
  setTimeout(() => { status.textContent = ''; }, 4000);
}
