// The page: the API key, the tabs, and wiring everything at load.

import { $, api, apiKey, el } from './core.mjs';
import { buildOptions, chooseModel, form, populateModels, recheck, submitJob } from './form.mjs';
import { copyCurl, renderCurl, run } from './run.mjs';
import { compare, loadRecentJobs, seekAll, showComparison, togglePlay, updatePicked } from './compare.mjs';

async function loadModels() {
  const select = $('model-select');
  if (!(apiKey.get() || apiKey.memory)) {
    select.replaceChildren(el('option', { value: '', text: 'Enter your API key to load the models' }));
    select.disabled = true;
    $('submit-job').disabled = true;
    return;
  }
  try {
    const answer = await api('GET', '/v1/models');
    populateModels(answer.json.data);
    $('key-status').textContent = `Key accepted · ${answer.json.data.length} models`;
    $('key-status').className = 'key-status ok';
  } catch (error) {
    $('key-status').textContent = error.status === 401 ? 'The key was refused.' : `Could not load the models: ${error.message}`;
    $('key-status').className = 'key-status error';
    select.replaceChildren(el('option', { value: '', text: 'No models: check the API key' }));
    select.disabled = true;
    form.model = null;
    form.input = null;
    $('input-fields').replaceChildren();
    for (const id of ['model-description', 'model-endpoint', 'estimate']) $(id).textContent = '';
    $('submit-job').disabled = true;
  }
}

function useKey(event) {
  if (event) event.preventDefault();
  apiKey.set($('api-key').value.trim());
  renderCurl();
  loadModels();
  if (!$('view-compare').hidden) loadRecentJobs();
}

function toggleKeyVisibility() {
  const input = $('api-key');
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  $('api-key-toggle').textContent = show ? 'Hide' : 'Show';
  $('api-key-toggle').setAttribute('aria-pressed', String(show));
}

/** Tabs after the WAI-ARIA pattern: arrow keys move between tabs, Tab goes into the panel. */
function selectTab(tab, focus) {
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  if (focus) tab.focus();
  if (tab.id === 'tab-compare') loadRecentJobs();
}

function tabKeys(event) {
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  const index = tabs.indexOf(event.target);
  let next = null;
  if (event.key === 'ArrowRight') next = tabs[(index + 1) % tabs.length];
  else if (event.key === 'ArrowLeft') next = tabs[(index - 1 + tabs.length) % tabs.length];
  else if (event.key === 'Home') next = tabs[0];
  else if (event.key === 'End') next = tabs[tabs.length - 1];
  if (next) {
    event.preventDefault();
    selectTab(next, true);
  }
}

function start() {
  $('api-key').value = apiKey.get();
  $('key-form').addEventListener('submit', useKey);
  $('api-key').addEventListener('change', () => useKey());
  $('api-key-toggle').addEventListener('click', toggleKeyVisibility);
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener('click', () => selectTab(tab, false));
    tab.addEventListener('keydown', tabKeys);
  }
  $('model-select').addEventListener('change', (event) => chooseModel(event.target.value));
  $('job-form').addEventListener('submit', submitJob);
  $('job-form').addEventListener('input', recheck);
  $('job-form').addEventListener('change', recheck);
  $('curl-reveal').addEventListener('click', () => { run.revealKey = !run.revealKey; renderCurl(); });
  $('curl-copy').addEventListener('click', copyCurl);
  $('jobs-refresh').addEventListener('click', loadRecentJobs);
  $('compare-button').addEventListener('click', showComparison);
  $('compare-play').addEventListener('click', togglePlay);
  const seek = $('compare-seek');
  seek.addEventListener('input', seekAll);
  seek.addEventListener('pointerdown', () => { compare.seeking = true; });
  seek.addEventListener('pointerup', () => { compare.seeking = false; });
  buildOptions();
  updatePicked();
  loadModels();
  document.body.dataset.ready = 'true';
}

document.addEventListener('DOMContentLoaded', start);
