/// The workbench's HTML, served as `/`: the layout and the stable ids the script and the browser test use.
enum WorkbenchPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Spool workbench</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/workbench.css">
<script src="/workbench.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <div class="brand"><span class="logo" aria-hidden="true">◎</span><span>Spool</span> <span class="brand-sub">workbench</span></div>
  <form id="key-form" class="key-form" data-testid="key-form">
    <label for="api-key">API key</label>
    <div class="key-row">
      <input id="api-key" data-testid="api-key" type="password" autocomplete="off" spellcheck="false" placeholder="Paste your key" aria-describedby="key-status">
      <button type="button" id="api-key-toggle" aria-pressed="false" aria-controls="api-key">Show</button>
      <button type="submit" id="api-key-use" data-testid="api-key-use">Use key</button>
    </div>
    <p id="key-status" class="key-status" role="status">The key stays in this browser (local storage).</p>
  </form>
</header>
<div class="tabs" role="tablist" aria-label="Views">
  <button type="button" role="tab" id="tab-run" aria-controls="view-run" aria-selected="true" data-testid="tab-run">Run</button>
  <button type="button" role="tab" id="tab-compare" aria-controls="view-compare" aria-selected="false" tabindex="-1" data-testid="tab-compare">Compare</button>
  <a class="docs-link" href="/openapi.json">API document</a>
</div>
<p id="notice" class="notice" role="status" hidden></p>
<main id="main">
  <section id="view-run" role="tabpanel" aria-labelledby="tab-run" tabindex="-1">
    <div class="run-grid">
      <form id="job-form" class="panel" novalidate data-testid="job-form" aria-labelledby="form-heading">
        <h2 id="form-heading">New job</h2>
        <div class="field">
          <label for="model-select">Model</label>
          <select id="model-select" data-testid="model-select" aria-describedby="model-description model-error" disabled>
            <option value="">Enter your API key to load the models</option>
          </select>
          <p id="model-error" class="field-error" hidden></p>
          <p id="model-description" class="help"></p>
          <p id="model-endpoint" class="help mono"></p>
        </div>
        <div id="input-fields" data-testid="input-fields"></div>
        <details class="options">
          <summary>Job options <span class="help">priority, deadline, webhook, metadata</span></summary>
          <div id="job-options"></div>
        </details>
        <div id="form-errors" class="form-errors" role="alert" tabindex="-1" data-testid="form-errors" hidden></div>
        <div class="actions">
          <button type="submit" id="submit-job" class="primary" data-testid="submit-job" disabled>Run</button>
          <span id="estimate" class="help" aria-live="polite"></span>
        </div>
      </form>
      <section id="job-panel" class="panel" aria-labelledby="job-heading" data-testid="job-panel">
        <h2 id="job-heading">Job</h2>
        <p id="job-empty" class="empty">Submit a job to follow it here: its status, place in fal's queue, time so far and fal's log, then the video.</p>
        <div id="job-details" hidden>
          <dl class="facts">
            <div><dt>Status</dt><dd><span id="job-status" class="badge" data-testid="job-status" role="status"></span></dd></div>
            <div><dt>Queue position</dt><dd id="job-queue" data-testid="job-queue">–</dd></div>
            <div><dt>Elapsed</dt><dd id="job-elapsed" data-testid="job-elapsed">–</dd></div>
            <div><dt>Model</dt><dd id="job-model" class="mono"></dd></div>
            <div class="wide"><dt>Job</dt><dd><code id="job-id" data-testid="job-id"></code></dd></div>
          </dl>
          <p id="job-error" class="error-text" data-testid="job-error" role="alert" hidden></p>
          <div id="job-result" class="result" data-testid="job-result" hidden>
            <div class="result-video">
              <video id="result-video" data-testid="result-video" controls playsinline preload="auto"></video>
              <a id="result-link" href="#" target="_blank" rel="noopener noreferrer">Open the video file</a>
            </div>
            <div class="result-input">
              <h3>Input</h3>
              <dl id="result-input" class="input-list" data-testid="result-input"></dl>
            </div>
          </div>
          <h3 id="log-heading">Log</h3>
          <ol id="job-log" class="log" data-testid="job-log" aria-labelledby="log-heading" tabindex="0"></ol>
          <h3 id="curl-heading">Request</h3>
          <pre id="curl-command" class="curl" data-testid="curl-command" aria-labelledby="curl-heading" tabindex="0"></pre>
          <div class="row">
            <button type="button" id="curl-reveal" aria-pressed="false" data-testid="curl-reveal">Reveal key</button>
            <button type="button" id="curl-copy" data-testid="curl-copy">Copy</button>
            <span id="curl-copied" class="help" role="status"></span>
          </div>
        </div>
      </section>
    </div>
  </section>
  <section id="view-compare" role="tabpanel" aria-labelledby="tab-compare" tabindex="-1" hidden>
    <div class="panel">
      <div class="row spread">
        <h2>Recent jobs</h2>
        <button type="button" id="jobs-refresh" data-testid="jobs-refresh">Refresh</button>
      </div>
      <div class="table-scroll">
        <table id="recent-jobs" class="jobs" data-testid="recent-jobs">
          <caption class="visually-hidden">The 20 most recent jobs; completed ones can be compared.</caption>
          <thead><tr><th scope="col">Pick</th><th scope="col">Job</th><th scope="col">Model</th><th scope="col">Status</th><th scope="col">Prompt</th><th scope="col">Created</th></tr></thead>
          <tbody></tbody>
        </table>
      </div>
      <div class="actions">
        <button type="button" id="compare-button" class="primary" data-testid="compare-button" disabled>Compare</button>
        <span id="compare-count" class="help" aria-live="polite"></span>
      </div>
    </div>
    <div id="compare-area" class="panel" data-testid="compare-area" hidden>
      <h2>Side by side</h2>
      <div class="player-controls">
        <button type="button" id="compare-play" class="primary" aria-pressed="false" data-testid="compare-play">Play all</button>
        <label for="compare-seek" class="visually-hidden">Position in every video</label>
        <input type="range" id="compare-seek" min="0" max="1000" step="1" value="0" data-testid="compare-seek">
        <span id="compare-time" class="mono">0:00 / 0:00</span>
      </div>
      <div id="compare-grid" class="compare-grid" data-testid="compare-grid"></div>
      <h3>Parameters</h3>
      <p id="compare-summary" class="help" aria-live="polite"></p>
      <div class="table-scroll">
        <table id="compare-params" class="params" data-testid="compare-params"></table>
      </div>
    </div>
  </section>
</main>
</body>
</html>
"""#
}
