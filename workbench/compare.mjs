// Compare: recent jobs, two to four completed ones side by side (played from Spool's stored copies when it has
// them, so old jobs still play after fal's files expired), one control driving every video, a download link under
// each, and the input parameters that differ highlighted.

import { $, api, compact, el, formatClock, formatTime, humanize, notify, renderValue, uid } from './core.mjs';
import { modelByID } from './form.mjs';
import { run } from './run.mjs';
import { hasVideo, videoSource } from './files.mjs';

export const compare = {
  jobs: [],
  picked: [],
  videos: [],
  leader: null,
  seeking: false,
};

const promptOf = (job) => {
  const input = job.input || {};
  if (typeof input.prompt === 'string') return input.prompt;
  if (Array.isArray(input.multi_prompt)) return input.multi_prompt.map((shot) => shot && shot.prompt).join(' / ');
  return '';
};

export async function loadRecentJobs() {
  const body = $('recent-jobs').querySelector('tbody');
  try {
    const answer = await api('GET', '/v1/jobs?limit=20');
    compare.jobs = answer.json.data;
  } catch (error) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: 6, text: `Could not list jobs: ${error.message}` })));
    return;
  }
  compare.picked = compare.picked.filter((id) => compare.jobs.some((job) => job.id === id && hasVideo(job)));
  body.replaceChildren(...compare.jobs.map(jobRow));
  if (!compare.jobs.length) body.append(el('tr', {}, el('td', { colspan: 6, class: 'empty', text: 'No jobs yet: run one first.' })));
  updatePicked();
}

function jobRow(job) {
  const id = uid('pick');
  const usable = hasVideo(job);
  const box = el('input', {
    type: 'checkbox', id, value: job.id, disabled: !usable, checked: compare.picked.includes(job.id),
    'data-testid': 'pick:' + job.id, 'aria-describedby': id + '-prompt',
    on: { change: (event) => togglePick(job.id, event.target) },
  });
  return el('tr', { 'data-job': job.id, class: usable ? '' : 'unusable' }, [
    el('td', {}, [box, el('label', { for: id, class: 'visually-hidden', text: `Compare job ${job.id}` })]),
    el('td', {}, el('code', { text: job.id.slice(-8), title: job.id })),
    el('td', { text: job.model.replace(/^kling-video-/, '') }),
    el('td', {}, el('span', { class: 'badge status-' + job.status, text: job.status.replace('_', ' ') })),
    el('td', { class: 'prompt-cell', id: id + '-prompt', text: promptOf(job) }),
    el('td', { text: formatTime(job.created_at) }),
  ]);
}

function togglePick(id, box) {
  if (box.checked) {
    if (compare.picked.length >= 4) {
      box.checked = false;
      notify('Compare at most four jobs at once.', 'error');
      return;
    }
    compare.picked.push(id);
  } else {
    compare.picked = compare.picked.filter((picked) => picked !== id);
  }
  updatePicked();
}

export function updatePicked() {
  const count = compare.picked.length;
  $('compare-button').disabled = count < 2 || count > 4;
  $('compare-count').textContent = count ? `${count} picked` + (count < 2 ? ' (pick at least two)' : '') : 'Pick two to four completed jobs.';
}

export async function showComparison() {
  const jobs = compare.picked.map((id) => compare.jobs.find((job) => job.id === id)).filter(Boolean);
  if (jobs.length < 2) return;
  for (const video of compare.videos) video.pause();
  const sources = await Promise.all(jobs.map(videoSource));
  compare.videos = jobs.map((job, index) => {
    const video = el('video', {
      src: sources[index].src, preload: 'auto', muted: true, playsinline: true, loop: false,
      'data-stored': String(sources[index].stored),
      'data-testid': 'compare-video', 'aria-label': `Video of job ${index + 1}, ${job.id}`,
    });
    video.muted = true;
    video.addEventListener('error', () => {
      video.replaceWith(el('p', { class: 'video-missing', role: 'alert', 'data-testid': 'compare-video-missing', text: `The video of job ${job.id} cannot be loaded: it may have expired or its server may be gone.` }));
    }, { once: true });
    return video;
  });
  $('compare-grid').replaceChildren(...jobs.map((job, index) => el('figure', { class: 'compare-cell' }, [
    compare.videos[index],
    el('figcaption', {}, [el('strong', { text: `${index + 1}. ` }), el('code', { text: job.id.slice(-8), title: job.id }), ' ', job.model.replace(/^kling-video-/, ''), ' ',
      el('a', { href: sources[index].download, download: '', 'data-testid': 'compare-download', text: 'Download', title: sources[index].note })]),
  ])));
  compare.leader = compare.videos[0];
  compare.leader.addEventListener('timeupdate', followLeader);
  compare.leader.addEventListener('loadedmetadata', followLeader);
  compare.leader.addEventListener('ended', () => { pauseAll(); followLeader(); });
  renderDifferences(jobs);
  $('compare-area').hidden = false;
  followLeader();
  $('compare-play').focus();
}

const longest = () => Math.max(0, ...compare.videos.map((video) => (Number.isFinite(video.duration) ? video.duration : 0)));

function pauseAll() {
  for (const video of compare.videos) video.pause();
  $('compare-play').textContent = 'Play all';
  $('compare-play').setAttribute('aria-pressed', 'false');
}

export async function togglePlay() {
  if (!compare.videos.length) return;
  if (compare.videos.some((video) => !video.paused)) { pauseAll(); return; }
  const at = compare.leader.ended ? 0 : compare.leader.currentTime;
  for (const video of compare.videos) if (Math.abs(video.currentTime - at) > 0.05) video.currentTime = Math.min(at, video.duration || at);
  $('compare-play').textContent = 'Pause all';
  $('compare-play').setAttribute('aria-pressed', 'true');
  await Promise.all(compare.videos.map((video) => video.play().catch(() => undefined)));
}

export function seekAll(event) {
  const duration = longest();
  const at = (Number(event.target.value) / 1000) * duration;
  for (const video of compare.videos) video.currentTime = Math.min(at, Number.isFinite(video.duration) ? video.duration : at);
  followLeader();
}

/** Keeps the slider and the clock on the first video, and the others within a quarter second of it. */
function followLeader() {
  const leader = compare.leader;
  if (!leader) return;
  const duration = longest();
  const seek = $('compare-seek');
  if (!compare.seeking) seek.value = duration ? String(Math.round((leader.currentTime / duration) * 1000)) : '0';
  seek.setAttribute('aria-valuetext', `${formatClock(leader.currentTime)} of ${formatClock(duration)}`);
  $('compare-time').textContent = `${formatClock(leader.currentTime)} / ${formatClock(duration)}`;
  if (!leader.paused) {
    for (const video of compare.videos.slice(1)) {
      if (!video.ended && Math.abs(video.currentTime - leader.currentTime) > 0.25) video.currentTime = leader.currentTime;
    }
  }
}

/** A table of every input parameter (and the model) with one column per job; rows that differ are marked. */
function renderDifferences(jobs) {
  const effective = jobs.map((job) => {
    const model = modelByID(job.model);
    const properties = (model && model.json_request_schema.properties) || {};
    const values = { model: { value: job.model } };
    for (const [name, schema] of Object.entries(properties)) {
      if (job.input && job.input[name] !== undefined) values[name] = { value: job.input[name] };
      else if (schema.default !== undefined) values[name] = { value: schema.default, isDefault: true };
    }
    for (const [name, value] of Object.entries(job.input || {})) if (!values[name]) values[name] = { value };
    return values;
  });
  const names = [];
  for (const values of effective) for (const name of Object.keys(values)) if (!names.includes(name)) names.push(name);
  const head = el('tr', {}, [el('th', { scope: 'col', text: 'Parameter' })].concat(
    jobs.map((job, index) => el('th', { scope: 'col' }, [`${index + 1}. `, el('code', { text: job.id.slice(-8), title: job.id })]))));
  const rows = names.map((name) => {
    const cells = effective.map((values) => values[name]);
    const differs = new Set(cells.map((cell) => (cell ? compact(cell.value) : '∅'))).size > 1;
    return el('tr', { class: differs ? 'differs' : '', 'data-testid': 'param:' + name, 'data-differs': String(differs) }, [
      el('th', { scope: 'row' }, [humanize(name), differs ? el('span', { class: 'differs-tag', text: 'differs' }) : null]),
    ].concat(cells.map((cell) => el('td', { class: cell && cell.isDefault ? 'default-value' : '' },
      cell ? [renderValue(cell.value), cell.isDefault ? el('span', { class: 'help', text: ' (default)' }) : null] : el('span', { class: 'help', text: '—' })))));
  });
  $('compare-params').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  const count = rows.filter((row) => row.dataset.differs === 'true').length;
  $('compare-summary').textContent = count ? `${count} parameter${count === 1 ? '' : 's'} differ${count === 1 ? 's' : ''}.` : 'The inputs are the same.';
}
