// The job form: model picker, the model's input fields, the job options, submitting.

import { $, api, ApiError, apiKey, el, notify } from './core.mjs';
import { collectProblems, objectControl, showProblems } from './structures.mjs';
import { followJob, run } from './run.mjs';

export const form = {
  models: [],
  model: null,
  input: null,
  options: null,
  checkedOnce: false,
};

/** The job options of POST /v1/jobs besides `model` and `input`, laid out like input fields. */
const optionsSchema = {
  type: 'object',
  properties: {
    priority: { type: 'integer', minimum: -100, maximum: 100, default: 0, description: 'Higher runs first.' },
    deadline_seconds: { type: 'integer', minimum: 1, maximum: 604800, description: 'Cancel the job at fal and fail it if it is not done this many seconds after submission.' },
    webhook_url: { type: 'string', format: 'uri', description: 'Where to send webhook events about this job.' },
    metadata: { type: 'object', description: 'Any JSON object, at most 16 KiB, kept with the job and echoed back.' },
  },
};

export const modelByID = (id) => form.models.find((model) => model.id === id);

export function populateModels(models) {
  form.models = models;
  const select = $('model-select');
  select.replaceChildren(...models.map((model) => el('option', { value: model.id, text: model.display_name })));
  select.disabled = models.length === 0;
  let remembered = '';
  try { remembered = localStorage.getItem('spool.model') || ''; } catch (error) { remembered = ''; }
  const preferred = models.find((model) => model.default) || models[0];
  select.value = modelByID(remembered) ? remembered : (preferred ? preferred.id : '');
  chooseModel(select.value);
}

/** Builds the input fields of model `id` from its json_request_schema. */
export function chooseModel(id) {
  const model = modelByID(id);
  form.model = model || null;
  form.checkedOnce = false;
  $('form-errors').hidden = true;
  if (!model) {
    $('input-fields').replaceChildren(el('p', { class: 'empty', text: 'No model to show.' }));
    $('submit-job').disabled = true;
    return;
  }
  try { localStorage.setItem('spool.model', id); } catch (error) { /* not kept */ }
  $('model-description').textContent = model.description;
  $('model-endpoint').textContent = `${model.fal_endpoint} · $${model.pricing.usd_per_second.toFixed(3)} per second of video`;
  form.input = objectControl(model.json_request_schema, 'Input', true, model.json_request_schema, true);
  $('input-fields').replaceChildren(form.input.element);
  form.input.walk('input', () => {});
  $('submit-job').disabled = false;
  updateEstimate();
}

export function buildOptions() {
  form.options = objectControl(optionsSchema, 'Job options', false, optionsSchema, true);
  $('job-options').replaceChildren(form.options.element);
  form.options.walk('', () => {});
}

/** The body of POST /v1/jobs as the form stands. */
function requestBody() {
  const body = { model: form.model.id, input: form.input.value() || {} };
  const options = form.options.value() || {};
  for (const [name, value] of Object.entries(options)) body[name] = value;
  return body;
}

/** The cost estimate beside the Run button: price per second times the chosen (or default) duration. */
function updateEstimate() {
  const model = form.model;
  const target = $('estimate');
  if (!model || !form.input) { target.textContent = ''; return; }
  const input = form.input.value() || {};
  const properties = model.json_request_schema.properties || {};
  let seconds = Number(input.duration !== undefined ? input.duration : (properties.duration || {}).default);
  if (Array.isArray(input.multi_prompt)) seconds = input.multi_prompt.reduce((sum, shot) => sum + (Number(shot && shot.duration) || 0), 0);
  target.textContent = Number.isFinite(seconds) && seconds > 0
    ? `About $${(seconds * model.pricing.usd_per_second).toFixed(2)} for ${seconds} s of video`
    : '';
}

/** The paths of the form, for showing problems: input fields, job options, and `model`. */
function formControls() {
  const modelControl = {
    walk(path, visit) { visit(path, this); },
    problems: () => [],
    setError(text) {
      const error = $('model-error');
      error.textContent = text || '';
      error.hidden = !text;
    },
  };
  return [['input', form.input], ['', form.options], ['model', modelControl]];
}

function showFormProblems(problems, headline) {
  const box = $('form-errors');
  showProblems(formControls(), problems, (loose) => {
    box.replaceChildren();
    if (!problems.length && !headline) { box.hidden = true; return; }
    box.append(el('p', { text: headline || `${problems.length === 1 ? 'One field needs' : problems.length + ' fields need'} attention.` }));
    if (loose.length) box.append(el('ul', {}, loose.map((line) => el('li', { text: line }))));
    box.hidden = false;
  });
  const first = $('job-form').querySelector('[aria-invalid="true"]');
  if (first) first.focus(); else if (!box.hidden) box.focus();
}

export async function submitJob(event) {
  event.preventDefault();
  if (!form.model) return;
  if (!(apiKey.get() || apiKey.memory)) {
    notify('Enter your API key first.', 'error');
    $('api-key').focus();
    return;
  }
  form.checkedOnce = true;
  const problems = collectProblems(form.input, 'input').concat(collectProblems(form.options, ''), promptProblems());
  if (problems.length) {
    showFormProblems(problems);
    return;
  }
  showFormProblems([]);
  const body = requestBody();
  const button = $('submit-job');
  button.disabled = true;
  button.textContent = 'Submitting…';
  try {
    const answer = await api('POST', '/v1/jobs', body);
    notify(`Job ${answer.json.id} submitted.`);
    followJob(answer.json, body);
    $('job-panel').scrollIntoView({ block: 'start' });
    $('job-heading').focus({ preventScroll: true });
  } catch (error) {
    if (error instanceof ApiError && error.details.length) {
      showFormProblems(error.details, `The server refused the job: ${error.message}`);
    } else {
      showFormProblems([], error.message || String(error));
    }
  } finally {
    button.disabled = false;
    button.textContent = 'Run';
  }
}

/** A model that takes a prompt needs one (or its several shots, `multi_prompt`): said here, before the server. */
function promptProblems() {
  const properties = (form.model && form.model.json_request_schema.properties) || {};
  const input = form.input.value() || {};
  if (!properties.prompt || input.prompt !== undefined || input.multi_prompt !== undefined) return [];
  return [{ field: 'input.prompt', message: properties.multi_prompt ? 'is required: describe the video (or give several shots)' : 'is required: describe the video' }];
}

/** After a first submit, the checks run again as the user edits, so fixed fields clear at once. */
export function recheck() {
  updateEstimate();
  if (!form.checkedOnce || !form.input) return;
  const problems = collectProblems(form.input, 'input').concat(collectProblems(form.options, ''));
  showProblems(formControls(), problems, () => {});
  if (!problems.length) $('form-errors').hidden = true;
}
