/// The workbench's style sheet, served as `/workbench.css`: light and dark schemes, one column at phone width,
/// visible focus rings.
enum WorkbenchStyle {
    static let css = #"""
:root {
  --bg: #f4f5f7; --panel: #ffffff; --text: #1b1f24; --muted: #4f5761; --line: #d0d5dc;
  --accent: #0b57d0; --accent-text: #ffffff; --accent-soft: #e6efff;
  --danger: #b3261e; --danger-soft: #fdecea; --ok: #146c2e; --ok-soft: #e3f4e8; --warn: #8a5300; --warn-soft: #fff3dc;
  --focus: #ffb000; --code-bg: #eef0f3; --radius: 8px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 16px; line-height: 1.45; color: var(--text); background: var(--bg);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111418; --panel: #1b2027; --text: #e8eaed; --muted: #aab2bd; --line: #3a424d;
    --accent: #8ab4f8; --accent-text: #0b1a33; --accent-soft: #1f2d44;
    --danger: #f2b8b5; --danger-soft: #3b1d1b; --ok: #8fd6a3; --ok-soft: #17301f; --warn: #f5c46b; --warn-soft: #3a2c10;
    --focus: #ffcc4d; --code-bg: #242a33;
  }
}
* { box-sizing: border-box; }
body { margin: 0; }
h1, h2, h3 { line-height: 1.2; }
h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 0.5rem; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.875rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 3px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip-link { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 0.75rem; background: var(--panel); color: var(--text); z-index: 10; }
.skip-link:focus { top: 0.5rem; }
[hidden] { display: none !important; }

.topbar { display: flex; flex-wrap: wrap; gap: 0.75rem 2rem; align-items: flex-end; justify-content: space-between;
  padding: 0.75rem 1.25rem; background: var(--panel); border-bottom: 1px solid var(--line); }
.brand { font-size: 1.35rem; font-weight: 700; display: flex; gap: 0.4rem; align-items: center; }
.brand-sub { font-weight: 400; color: var(--muted); }
.logo { color: var(--accent); }
.key-form { display: grid; gap: 0.25rem; min-width: min(100%, 28rem); }
.key-form label { font-weight: 600; font-size: 0.9rem; }
.key-row { display: flex; gap: 0.4rem; }
.key-row input { flex: 1; min-width: 0; }
.key-status { margin: 0; font-size: 0.85rem; color: var(--muted); }
.key-status.ok { color: var(--ok); }
.key-status.error { color: var(--danger); }

.tabs { display: flex; gap: 0.25rem; align-items: flex-end; padding: 0.5rem 1.25rem 0; border-bottom: 1px solid var(--line); background: var(--panel); }
.tabs [role="tab"] { border: 1px solid transparent; border-bottom: none; border-radius: var(--radius) var(--radius) 0 0; background: transparent;
  padding: 0.55rem 1.1rem; font-weight: 600; color: var(--muted); margin-bottom: -1px; }
.tabs [role="tab"][aria-selected="true"] { color: var(--text); background: var(--bg); border-color: var(--line); }
.docs-link { margin-left: auto; padding: 0.55rem 0; font-size: 0.9rem; }
.notice { margin: 0.75rem 1.25rem 0; padding: 0.6rem 0.9rem; border-radius: var(--radius); background: var(--accent-soft); }
.notice.error { background: var(--danger-soft); color: var(--danger); }

main { padding: 1rem 1.25rem 3rem; max-width: 1500px; margin: 0 auto; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin-bottom: 1rem; min-width: 0; }
.run-grid { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 1000px) { .run-grid { grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); align-items: start; } }
.row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.row.spread { justify-content: space-between; }
.row h2 { margin: 0; }

input, select, textarea, button { font: inherit; color: inherit; }
input[type="text"], input[type="url"], input[type="number"], input[type="password"], select, textarea {
  width: 100%; padding: 0.45rem 0.6rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); min-height: 2.4rem; }
textarea { resize: vertical; min-height: 4.5rem; }
input[type="number"] { max-width: 12rem; }
[aria-invalid="true"] { border-color: var(--danger) !important; box-shadow: 0 0 0 1px var(--danger); }
button { padding: 0.45rem 0.9rem; min-height: 2.4rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: 0.55; cursor: not-allowed; }
button.primary { background: var(--accent); color: var(--accent-text); border-color: var(--accent); font-weight: 600; }
button.remove { color: var(--danger); padding: 0.2rem 0.6rem; min-height: 2rem; }
button.add { border-style: dashed; }

.field { margin: 0 0 1rem; }
.field > label, .label-row label { display: inline-block; font-weight: 600; margin-bottom: 0.25rem; }
.label-row { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
.required { color: var(--danger); }
.help { color: var(--muted); font-size: 0.85rem; margin: 0.25rem 0 0; }
.counter { color: var(--muted); font-size: 0.8rem; font-variant-numeric: tabular-nums; }
.counter.over { color: var(--danger); font-weight: 600; }
.field-error { color: var(--danger); font-size: 0.875rem; font-weight: 600; margin: 0.3rem 0 0; }
.field-error::before { content: "⚠ "; }
.switch-row { display: flex; align-items: center; gap: 0.6rem; }
.switch-row label { margin: 0; font-weight: 600; }
input.switch { appearance: none; width: 2.6rem; height: 1.5rem; border-radius: 1rem; background: var(--line); position: relative; cursor: pointer; margin: 0; flex: none; }
input.switch::after { content: ""; position: absolute; top: 0.2rem; left: 0.2rem; width: 1.1rem; height: 1.1rem; border-radius: 50%; background: #fff; transition: left 0.15s; box-shadow: 0 1px 2px rgba(0,0,0,0.3); }
input.switch:checked { background: var(--accent); }
input.switch:checked::after { left: 1.3rem; }

fieldset.group { border: 1px solid var(--line); border-radius: var(--radius); padding: 0.75rem 0.9rem 0.25rem; margin: 0 0 1rem; min-width: 0; }
fieldset.group.bare { border: none; padding: 0; margin: 0; }
fieldset.group > legend { font-weight: 600; padding: 0 0.3rem; }
fieldset.group.has-error { border-color: var(--danger); }
ol.items { list-style: none; margin: 0.5rem 0; padding: 0; display: grid; gap: 0.6rem; }
li.item { border-left: 3px solid var(--accent-soft); padding-left: 0.7rem; }
li.scalar-item { display: flex; gap: 0.5rem; align-items: flex-start; }
li.scalar-item > .field { flex: 1; min-width: 0; margin-bottom: 0.25rem; }
li.scalar-item > .remove { margin-top: 1.75rem; }
.item-head { display: flex; justify-content: space-between; align-items: center; margin-bottom: 0.3rem; }
.item-title { font-weight: 600; font-size: 0.9rem; color: var(--muted); }
.array > .row { margin-bottom: 0.75rem; }
.choice .variant { margin-top: 0.75rem; }
.preview { margin-top: 0.4rem; }
img.thumb.small { max-width: 72px; max-height: 48px; display: inline-block; vertical-align: middle; margin-right: 0.4rem; }
.value-image { display: inline-flex; align-items: center; gap: 0.2rem; flex-wrap: wrap; }
.value-text { overflow-wrap: anywhere; }
ol.value-list { margin: 0; padding-left: 1.2rem; }
dl.value-object { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0.1rem 0.5rem; }
dl.value-object dt { color: var(--muted); }
dl.value-object dd { margin: 0; min-width: 0; }
dl.input-list { margin: 0; display: grid; gap: 0.45rem; font-size: 0.9rem; background: var(--code-bg); border-radius: 6px; padding: 0.6rem 0.8rem; }
dl.input-list dt { font-size: 0.8rem; color: var(--muted); font-weight: 600; }
dl.input-list dd { margin: 0; min-width: 0; }
img.thumb { display: block; max-width: 160px; max-height: 110px; border-radius: 6px; border: 1px solid var(--line); object-fit: cover; background: var(--code-bg); }

details.options { margin: 0 0 1rem; border: 1px solid var(--line); border-radius: var(--radius); padding: 0.5rem 0.9rem; }
details.options summary { cursor: pointer; font-weight: 600; padding: 0.2rem 0; }
details.options[open] summary { margin-bottom: 0.75rem; }
.form-errors { border: 1px solid var(--danger); background: var(--danger-soft); color: var(--danger); border-radius: var(--radius); padding: 0.6rem 0.9rem; margin-bottom: 1rem; }
.form-errors p { margin: 0; font-weight: 600; }
.form-errors ul { margin: 0.4rem 0 0; padding-left: 1.2rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin-top: 0.5rem; }
.actions .primary { min-width: 7rem; }
.empty { color: var(--muted); }

.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: 0.75rem; margin: 0 0 1rem; }
.facts div { background: var(--bg); border-radius: 6px; padding: 0.5rem 0.7rem; min-width: 0; }
.facts .wide { grid-column: 1 / -1; }
.facts dt { font-size: 0.8rem; color: var(--muted); }
.facts dd { margin: 0.15rem 0 0; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0.1rem 0.55rem; border-radius: 1rem; font-size: 0.85rem; font-weight: 600; background: var(--code-bg); white-space: nowrap; }
.status-queued, .status-submitting { background: var(--warn-soft); color: var(--warn); }
.status-in_queue, .status-in_progress { background: var(--accent-soft); color: var(--accent); }
.status-completed { background: var(--ok-soft); color: var(--ok); }
.status-failed, .status-cancelled { background: var(--danger-soft); color: var(--danger); }
.error-text { color: var(--danger); font-weight: 600; }

.result { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 700px) { .result { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); } }
.result video { width: 100%; max-height: 60vh; background: #000; border-radius: 6px; display: block; }
.result-video a { display: inline-block; margin-top: 0.35rem; font-size: 0.9rem; }
.result-input h3 { margin-top: 0; }
pre { background: var(--code-bg); border-radius: 6px; padding: 0.6rem 0.8rem; overflow: auto; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 22rem; }
pre.curl { white-space: pre; overflow-wrap: normal; margin-bottom: 0.5rem; }
ol.log { list-style: none; margin: 0; padding: 0.5rem 0.7rem; max-height: 14rem; overflow: auto; background: var(--code-bg); border-radius: 6px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.8rem; }
ol.log li { padding: 0.1rem 0; overflow-wrap: anywhere; }
ol.log time { color: var(--muted); }
ol.log .level { display: inline-block; min-width: 3.5rem; font-weight: 700; }
.log-error .level, .log-error { color: var(--danger); }
.log-status .level { color: var(--accent); }

.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: 0.8rem; color: var(--muted); font-weight: 600; }
table.jobs input[type="checkbox"] { width: 1.2rem; height: 1.2rem; }
tr.unusable { color: var(--muted); }
.prompt-cell { max-width: 28rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.player-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; margin-bottom: 0.75rem; }
.player-controls input[type="range"] { flex: 1; min-width: 10rem; accent-color: var(--accent); }
.compare-grid { display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 150px), 1fr)); }
.compare-cell { margin: 0; }
.compare-cell video { width: 100%; max-height: 55vh; background: #000; border-radius: 6px; display: block; }
.compare-cell figcaption { font-size: 0.85rem; margin-top: 0.3rem; }
table.params td { overflow-wrap: anywhere; max-width: 22rem; }
tr.differs { background: var(--warn-soft); }
tr.differs th { box-shadow: inset 4px 0 0 var(--warn); }
.differs-tag { margin-left: 0.5rem; font-size: 0.72rem; font-weight: 700; text-transform: uppercase; color: var(--warn); }
.default-value { color: var(--muted); font-style: italic; }

@media (max-width: 600px) {
  .topbar, .tabs { padding-left: 0.75rem; padding-right: 0.75rem; }
  main { padding: 0.75rem 0.5rem 2rem; }
  .panel { padding: 0.8rem 0.8rem; }
  .key-form { min-width: 100%; }
  .prompt-cell { max-width: 10rem; }
}
"""#
}
