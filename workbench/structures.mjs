// Structured fields: objects, arrays with add/remove, and a choice between schema variants (oneOf/anyOf).

import { $, el, humanize, uid } from './core.mjs';
import { itemPath, jsonControl, memberPath, resolveSchema, scalarControl, schemaType } from './fields.mjs';
import { form } from './form.mjs';

/** The control for `schema`, whatever its shape. */
function buildControl(schema, label, required, root, name) {
  const resolved = resolveSchema(schema, root);
  if (Array.isArray(resolved.oneOf) || Array.isArray(resolved.anyOf)) return choiceControl(resolved, label, required, root);
  const type = schemaType(resolved);
  if (resolved.enum || ['string', 'integer', 'number', 'boolean'].includes(type)) return scalarControl(resolved, label, required, name);
  if (type === 'array' && resolved.items) return arrayControl(resolved, label, required, root, name);
  if ((type === 'object' || resolved.properties) && resolved.properties && Object.keys(resolved.properties).length) {
    return objectControl(resolved, label, required, root, false);
  }
  return jsonControl(resolved, label, required);
}

/** The members of an object schema, in the schema's order. `bare`: no frame of its own (the form's root). */
export function objectControl(schema, label, required, root, bare) {
  const requiredNames = new Set(schema.required || []);
  const members = Object.entries(schema.properties || {}).map(([name, member]) => ({
    name, control: buildControl(member, humanize(name), requiredNames.has(name), root, name),
  }));
  const error = el('p', { class: 'field-error', hidden: true, role: bare ? 'alert' : null });
  const body = members.map((member) => member.control.element);
  const element = bare
    ? el('div', { class: 'fields' }, [error].concat(body))
    : el('fieldset', { class: 'group' }, [el('legend', { text: label }),
      schema.description ? el('p', { class: 'help', text: schema.description }) : null, error].concat(body));
  return {
    element,
    value() {
      const object = {};
      for (const member of members) {
        const value = member.control.value();
        if (value !== undefined) object[member.name] = value;
      }
      return Object.keys(object).length || required ? object : undefined;
    },
    walk(path, visit) {
      visit(path, this);
      for (const member of members) member.control.walk(memberPath(path, member.name), visit);
    },
    problems: () => [],
    setError(text) { error.textContent = text || ''; error.hidden = !text; },
    focus() { if (members.length) members[0].control.focus(); },
  };
}

/** A list whose items can be added and removed, up to `maxItems`. */
function arrayControl(schema, label, required, root, name) {
  const itemSchema = resolveSchema(schema.items, root);
  // What one item is called: its definition's name (`#/$defs/shot` → Shot), else the list's name in the singular.
  const single = schema.items.$ref ? humanize(schema.items.$ref.split('/').pop())
    : humanize(String(name || 'item').replace(/_urls$/, '').replace(/s$/, ''));
  const scalarItems = !itemSchema.properties && !itemSchema.oneOf && !itemSchema.anyOf && schemaType(itemSchema) !== 'array';
  const list = el('ol', { class: 'items' });
  const error = el('p', { class: 'field-error', hidden: true });
  const addButton = el('button', { type: 'button', class: 'add', 'data-testid': 'add:' + (name || 'item') }, ['+ Add ', single.replace(/^[A-Z](?![A-Z])/, (letter) => letter.toLowerCase())]);
  const counter = el('span', { class: 'help', 'aria-live': 'polite' });
  const items = [];
  const element = el('fieldset', { class: 'group array' }, [
    el('legend', {}, [label, required ? el('span', { class: 'required', 'aria-hidden': 'true', text: ' *' }) : null]),
    schema.description ? el('p', { class: 'help', text: schema.description }) : null,
    error, list, el('div', { class: 'row' }, [addButton, counter]),
  ]);
  let basePath = '';
  const refresh = () => {
    items.forEach((item, index) => {
      if (scalarItems) item.control.setLabel(`${single} ${index + 1}`); else item.legend.textContent = `${single} ${index + 1}`;
      item.remove.setAttribute('aria-label', `Remove ${single} ${index + 1}`);
    });
    const max = schema.maxItems;
    addButton.disabled = max !== undefined && items.length >= max;
    counter.textContent = max !== undefined ? `${items.length} of at most ${max}` : '';
    if (basePath) control.walk(basePath, () => {});
  };
  const add = () => {
    const child = buildControl(itemSchema, single, true, root, name);
    if (!scalarItems) unframe(child.element);
    const legend = el('span', { class: 'item-title' });
    const remove = el('button', { type: 'button', class: 'remove', text: 'Remove' });
    const row = scalarItems
      ? el('li', { class: 'item scalar-item' }, [child.element, remove])
      : el('li', { class: 'item' }, [el('div', { class: 'item-head' }, [legend, remove]), child.element]);
    const item = { control: child, row, legend, remove };
    remove.addEventListener('click', () => {
      const index = items.indexOf(item);
      items.splice(index, 1);
      row.remove();
      refresh();
      (items[index] || items[index - 1] || { control: { focus: () => addButton.focus() } }).control.focus();
    });
    items.push(item);
    list.append(row);
    refresh();
    return child;
  };
  addButton.addEventListener('click', () => add().focus());
  const control = {
    element,
    value() {
      if (!items.length) return undefined;
      return items.map((item) => item.control.value());
    },
    walk(path, visit) {
      basePath = path;
      addButton.setAttribute('data-testid', 'add:' + path);
      visit(path, this);
      items.forEach((item, index) => item.control.walk(itemPath(path, index), visit));
    },
    problems(path) {
      const count = items.length;
      if (count === 0 && required) return [{ field: path, message: 'is required' }];
      if (count && schema.minItems !== undefined && count < schema.minItems) return [{ field: path, message: `must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}` }];
      if (schema.maxItems !== undefined && count > schema.maxItems) return [{ field: path, message: `must have at most ${schema.maxItems} items` }];
      return [];
    },
    setError(text) {
      error.textContent = text || '';
      error.hidden = !text;
      element.classList.toggle('has-error', Boolean(text));
    },
    focus() { (items.length ? items[0].control : { focus: () => addButton.focus() }).focus(); },
  };
  refresh();
  return control;
}

/** Drops the frame of an object's fieldset (legend and description) where its container already names it. */
function unframe(element) {
  if (element.tagName !== 'FIELDSET') return;
  for (const child of Array.from(element.children)) {
    if (child.tagName === 'LEGEND' || child.classList.contains('help')) child.remove();
  }
  element.classList.add('bare');
}

/** One of several schema variants (oneOf/anyOf), picked with a select; the picked variant's fields below it. */
function choiceControl(schema, label, required, root) {
  const variants = (schema.oneOf || schema.anyOf).map((variant) => ({
    title: variant.title || (variant.$ref ? humanize(variant.$ref.split('/').pop()) : ''),
    schema: resolveSchema(variant, root),
  }));
  variants.forEach((variant, index) => {
    if (!variant.title) variant.title = variant.schema.description || `Option ${index + 1}`;
  });
  const id = uid('field');
  const select = el('select', { id }, variants.map((variant, index) => el('option', { value: String(index), text: variant.title })));
  const error = el('p', { class: 'field-error', id: id + '-error', hidden: true });
  const holder = el('div', { class: 'variant' });
  const element = el('div', { class: 'field choice' }, [
    el('label', { for: id, text: 'Kind' }), select,
    schema.description ? el('p', { class: 'help', text: schema.description }) : null, error, holder,
  ]);
  let current = null;
  const pick = () => {
    const variant = variants[Number(select.value)];
    current = buildControl(variant.schema, variant.title, true, root);
    unframe(current.element);
    holder.replaceChildren(current.element);
  };
  select.addEventListener('change', pick);
  pick();
  return {
    element,
    value: () => current.value(),
    walk(path, visit) {
      select.dataset.path = path;
      current.walk(path, visit);
      visit(path, this);
    },
    problems: () => [],
    setError(text) {
      error.textContent = text || '';
      error.hidden = !text;
      if (text) select.setAttribute('aria-invalid', 'true'); else select.removeAttribute('aria-invalid');
    },
    focus() { select.focus(); },
  };
}

/** Runs the client-side checks of every control under `root` at `path`. */
export function collectProblems(control, path) {
  const problems = [];
  control.walk(path, (at, inner) => { problems.push(...inner.problems(at)); });
  return problems;
}

/** Shows `problems` ({field, message}, from the checks above or the server's 422 `details`) beside the fields
 *  they name; a path with no field of its own goes to the nearest enclosing one, and what matches nothing to
 *  `fallback`. Returns the number shown. */
export function showProblems(controls, problems, fallback) {
  const byPath = new Map();
  for (const [path, control] of controls) control.walk(path, (at, inner) => { inner.setError(''); byPath.set(at, inner); });
  const messages = new Map();
  const loose = [];
  for (const problem of problems) {
    let path = String(problem.field || '');
    while (path && !byPath.has(path)) {
      const shorter = path.replace(/(\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])$/, '');
      path = shorter === path ? '' : shorter;
    }
    const control = path ? byPath.get(path) : null;
    if (!control) { loose.push(`${problem.field}: ${problem.message}`); continue; }
    const prefix = path === problem.field ? '' : problem.field.slice(path.length).replace(/^\./, '') + ' ';
    if (!messages.has(control)) messages.set(control, []);
    messages.get(control).push(prefix + problem.message);
  }
  for (const [control, list] of messages) control.setError(list.join('; '));
  fallback(loose);
  return problems.length;
}
