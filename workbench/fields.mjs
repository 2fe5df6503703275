// Form fields generated from a JSON Schema. Each field is a "control":
//   element            the DOM node to insert
//   value()            the JSON value, or undefined to leave the member out
//   walk(path, visit)  calls visit(path, control) for itself and every control inside, with the field paths the
//                      server uses in `details` (input.elements[0].reference_image_urls[1])
//   problems(path)     client-side checks of this control alone: [{field, message}]
//   setError(text)     shows (or, with '', clears) a problem beside the field
//   focus()

import { $, compact, el, uid } from './core.mjs';
import { form } from './form.mjs';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const memberPath = (path, name) => (!path ? name : identifier.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`);
export const itemPath = (path, index) => `${path}[${index}]`;

/** Follows `$ref`s (local ones, `#/…`) against `root`; members beside a `$ref` win over the target's. */
export function resolveSchema(schema, root) {
  let current = schema || {};
  for (let depth = 0; current.$ref && depth < 32; depth += 1) {
    const target = current.$ref.replace(/^#\/?/, '').split('/').filter(Boolean)
      .reduce((node, part) => (node ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
    const rest = Object.assign({}, current);
    delete rest.$ref;
    current = Object.assign({}, target || {}, rest);
  }
  return current;
}

export const schemaType = (schema) => (Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type);
const isMediaURL = (schema) => schemaType(schema) === 'string' && (schema.format === 'uri' || schema['x-media-type']);
const looksLikeURL = (text) => /^(https?:\/\/[^\s/?#]+[^\s]*|data:[^,\s]*,\S*)$/i.test(text);

/** The frame every field shares: label, help text, the problem line. */
function fieldFrame(label, schema, required, inputId) {
  const help = schema.description ? el('p', { class: 'help', id: inputId + '-help', text: schema.description }) : null;
  const error = el('p', { class: 'field-error', id: inputId + '-error', hidden: true });
  const labelNode = el('label', { for: inputId }, [label, required ? el('span', { class: 'required', 'aria-hidden': 'true', text: ' *' }) : null]);
  const wrap = el('div', { class: 'field' });
  return {
    wrap, labelNode, help, error,
    describedBy: [help && help.id, error.id].filter(Boolean).join(' '),
    setError(text, input) {
      error.textContent = text || '';
      error.hidden = !text;
      wrap.classList.toggle('has-error', Boolean(text));
      if (input) {
        if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
      }
    },
  };
}

/** Problems of a scalar value against the schema's keywords, in the server's words. */
function scalarProblems(schema, value, required) {
  const problems = [];
  if (value === undefined) {
    if (required) problems.push('is required');
    return problems;
  }
  const type = schemaType(schema);
  if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value)) return [`must be ${type === 'integer' ? 'an integer' : 'a number'}`];
    if (type === 'integer' && !Number.isInteger(value)) problems.push('must be a whole number');
    const low = schema.minimum, high = schema.maximum;
    if (low !== undefined && high !== undefined && (value < low || value > high)) problems.push(`must be from ${low} to ${high}`);
    else if (low !== undefined && value < low) problems.push(`must be at least ${low}`);
    else if (high !== undefined && value > high) problems.push(`must be at most ${high}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) problems.push(`must be more than ${schema.exclusiveMinimum}`);
  } else if (type === 'string' && typeof value === 'string') {
    const length = Array.from(value).length;
    if (schema.minLength !== undefined && length < schema.minLength) problems.push(schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && length > schema.maxLength) problems.push(`must be at most ${schema.maxLength} characters (now ${length})`);
    if (isMediaURL(schema) && !looksLikeURL(value)) problems.push('must be an http(s) URL or a data: URI, such as https://example.com/picture.png');
  }
  if (schema.enum && !schema.enum.some((option) => compact(option) === compact(value))) problems.push('must be one of ' + schema.enum.map(compact).join(', '));
  return problems;
}

/** A select for an enum. Not required and with a default: a first option that leaves the member out. */
function enumInput(schema, required, id) {
  const select = el('select', { id });
  if (!required) {
    const label = schema.default !== undefined ? `Default (${compact(schema.default)})` : '—';
    select.append(el('option', { value: '', text: label }));
  }
  schema.enum.forEach((option, index) => select.append(el('option', { value: String(index), text: compact(option) })));
  if (required && schema.default !== undefined) {
    const index = schema.enum.findIndex((option) => compact(option) === compact(schema.default));
    if (index >= 0) select.value = String(index);
  }
  return { input: select, read: () => (select.value === '' ? undefined : schema.enum[Number(select.value)]) };
}

function numberInput(schema, id) {
  const integer = schemaType(schema) === 'integer';
  const input = el('input', {
    id, type: 'number', inputmode: integer ? 'numeric' : 'decimal', step: integer ? '1' : 'any',
    min: schema.minimum, max: schema.maximum,
    placeholder: schema.default !== undefined ? `Default: ${schema.default}` : null,
  });
  return {
    input,
    read() {
      const text = input.value.trim();
      if (text === '') return input.validity && input.validity.badInput ? NaN : undefined;
      return Number(text);
    },
  };
}

function booleanInput(schema, id) {
  const input = el('input', { id, type: 'checkbox', role: 'switch', class: 'switch', checked: schema.default === true });
  return { input, read: () => input.checked };
}

/** A text field; long texts (prompts) get a textarea and a character count. */
function textInput(schema, id, name) {
  const long = (schema.maxLength || 0) > 200 || /prompt|description|text/.test(name);
  if (isMediaURL(schema)) {
    const input = el('input', { id, type: 'url', inputmode: 'url', spellcheck: 'false', autocomplete: 'off', placeholder: 'https://…' });
    return { input, read: () => (input.value.trim() === '' ? undefined : input.value.trim()), media: schema['x-media-type'] || 'file' };
  }
  const input = long
    ? el('textarea', { id, rows: 3 })
    : el('input', { id, type: 'text', autocomplete: 'off' });
  const counter = schema.maxLength ? el('span', { class: 'counter', 'aria-hidden': 'true', text: `0 / ${schema.maxLength}` }) : null;
  if (counter) {
    input.addEventListener('input', () => {
      const length = Array.from(input.value).length;
      counter.textContent = `${length} / ${schema.maxLength}`;
      counter.classList.toggle('over', length > schema.maxLength);
    });
  }
  return { input, counter, read: () => (input.value === '' ? undefined : input.value) };
}

/** A thumbnail beside an image URL field, shown once the URL loads. */
function attachPreview(input, kind) {
  if (kind !== 'image') return null;
  const image = el('img', { class: 'thumb', alt: '', hidden: true, 'data-testid': 'thumbnail', referrerpolicy: 'no-referrer' });
  const note = el('span', { class: 'help thumb-note', hidden: true, text: 'No preview: the image did not load.' });
  image.addEventListener('load', () => { image.hidden = false; note.hidden = true; });
  image.addEventListener('error', () => { image.hidden = true; note.hidden = !input.value.trim(); });
  let timer = null;
  const update = () => {
    const url = input.value.trim();
    if (looksLikeURL(url) && /^(https?:|data:image\/)/i.test(url)) {
      if (image.getAttribute('src') !== url) image.src = url;
    } else {
      image.hidden = true;
      note.hidden = true;
      image.removeAttribute('src');
    }
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(update, 300); });
  input.addEventListener('change', update);
  return el('div', { class: 'preview' }, [image, note]);
}

/** A field for a string, number, boolean or enum. */
export function scalarControl(schema, label, required, name) {
  const id = uid('field');
  const frame = fieldFrame(label, schema, required, id);
  const type = schemaType(schema);
  const made = schema.enum ? enumInput(schema, required, id)
    : type === 'boolean' ? booleanInput(schema, id)
    : type === 'integer' || type === 'number' ? numberInput(schema, id)
    : textInput(schema, id, name || '');
  const input = made.input;
  input.setAttribute('aria-describedby', frame.describedBy);
  if (required && type !== 'boolean') input.setAttribute('aria-required', 'true');
  if (type === 'boolean') {
    frame.wrap.classList.add('field-switch');
    frame.wrap.append(el('div', { class: 'switch-row' }, [input, frame.labelNode]));
  } else {
    frame.wrap.append(el('div', { class: 'label-row' }, [frame.labelNode, made.counter || null]), input);
  }
  const preview = made.media ? attachPreview(input, made.media) : null;
  if (preview) frame.wrap.append(preview);
  if (frame.help) frame.wrap.append(frame.help);
  frame.wrap.append(frame.error);
  return {
    element: frame.wrap,
    value: () => made.read(),
    walk(path, visit) { input.dataset.path = path; input.setAttribute('data-testid', 'field:' + path); visit(path, this); },
    problems(path) {
      const value = made.read();
      if (typeof value === 'number' && Number.isNaN(value)) {
        return [{ field: path, message: `must be ${type === 'integer' ? 'an integer' : 'a number'}` }];
      }
      return scalarProblems(schema, value, required).map((message) => ({ field: path, message }));
    },
    setError(text) { frame.setError(text, input); },
    setLabel(text) { frame.labelNode.firstChild.textContent = text; },
    focus() { input.focus(); },
  };
}

/** A JSON text field for what the form cannot lay out (free-form objects such as metadata). */
export function jsonControl(schema, label, required) {
  const id = uid('field');
  const frame = fieldFrame(label, schema, required, id);
  const input = el('textarea', { id, rows: 3, class: 'mono', spellcheck: 'false', placeholder: '{"key": "value"}', 'aria-describedby': frame.describedBy });
  frame.wrap.append(frame.labelNode, input);
  if (frame.help) frame.wrap.append(frame.help);
  frame.wrap.append(frame.error);
  const read = () => {
    if (input.value.trim() === '') return { empty: true };
    try { return { value: JSON.parse(input.value) }; } catch (error) { return { invalid: 'must be valid JSON' }; }
  };
  return {
    element: frame.wrap,
    value: () => read().value,
    walk(path, visit) { input.dataset.path = path; input.setAttribute('data-testid', 'field:' + path); visit(path, this); },
    problems(path) {
      const result = read();
      if (result.invalid) return [{ field: path, message: result.invalid }];
      if (result.empty && required) return [{ field: path, message: 'is required' }];
      const type = schemaType(schema);
      if (result.value !== undefined && type === 'object' && (typeof result.value !== 'object' || Array.isArray(result.value) || result.value === null)) {
        return [{ field: path, message: 'must be a JSON object' }];
      }
      return [];
    },
    setError(text) { frame.setError(text, input); },
    focus() { input.focus(); },
  };
}
