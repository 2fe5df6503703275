// Stored files: a job's video is played from Spool's own copy when Spool holds it (through a signed link,
// since a <video> element cannot send the key), and from fal's URL otherwise; the download link follows.

import { api } from './core.mjs';

/** Hours a signed link made for the page stays valid. */
const linkHours = 6;

/** The job's stored video entry in `files`, or null. */
export function storedVideo(job) {
  const files = (job && Array.isArray(job.files)) ? job.files : [];
  return files.find((file) => file.stored && String(file.content_type || '').startsWith('video/')) || null;
}

/** fal's URL of the job's video, from its result. */
export const falVideoURL = (job) => (job && job.result && job.result.video && job.result.video.url) || '';

/** Whether the job has a video to show, stored or at fal. */
export const hasVideo = (job) => Boolean(job && job.status === 'completed' && (storedVideo(job) || falVideoURL(job)));

/**
 * Where to play and download the job's video: `{src, download, stored, note}`. A stored video gets a signed link on
 * this page's origin (with `download=1` for the download); without one, fal's URL and why Spool holds no copy.
 */
export async function videoSource(job) {
  const file = storedVideo(job);
  if (file) {
    try {
      const link = (await api('POST', `${file.url}/link`, { expires_in: linkHours * 3600 })).json;
      const signed = new URL(link.url, location.origin);
      const src = signed.pathname + signed.search;
      return { src, download: `${src}&download=1`, stored: true, note: `Stored by Spool (${formatBytes(file.size)}, SHA-256 ${file.sha256.slice(0, 12)}…)` };
    } catch (error) {
      // The link could not be made: fal's URL is the fallback below.
    }
  }
  const url = falVideoURL(job);
  const missing = (job && Array.isArray(job.files)) ? job.files.find((entry) => !entry.stored) : null;
  const note = missing ? `Served from fal: Spool holds no copy (${missing.reason || 'not stored'}).` : 'Served from fal.';
  return { src: url, download: url, stored: false, note };
}

/** 1536 → "1.5 KB". */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return 'size unknown';
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
