/*
 * The Grafana dashboard's panels, drawn with uPlot from Prometheus' HTTP API (passed
 * through by the server that serves this page): one chart per panel, one series per
 * result of each target's expression, named by the target's legendFormat ({{label}}
 * placeholders), values shown in the panel's unit. Refreshed every 2 s (?refresh=2..5)
 * over the last 15 minutes.
 *
 * What the page shows is also readable by tests: each panel is a
 * <section class="panel" data-title="..." data-last="..." data-max="..." data-points="..."
 * data-series="..."> (last: the sum of the series' values at the newest point; max: the
 * highest value of any series; points: how many values are drawn; series: how many
 * series), each series an <li data-series="name" data-last data-max data-points> (the
 * list ordered by the newest value, highest first, so the worst partition leads), the
 * <body> has data-prometheus="up|unreachable" and data-updates (refreshes so far), and
 * window.dashboard holds the same as an object.
 */
(function () {
  'use strict';

  const RANGE_SECONDS = 15 * 60;
  const STEP_SECONDS = Math.max(1, Math.round(RANGE_SECONDS / 300));
  const REFRESH_MILLIS = 1000 * Math.min(5, Math.max(2, Number(new URLSearchParams(location.search).get('refresh')) || 2));
  const COLORS = ['#7eb26d', '#eab839', '#6ed0e0', '#ef843c', '#e24d42', '#1f78c1', '#ba43a9', '#705da0',
    '#508642', '#cca300', '#447ebc', '#c15c17', '#890f02', '#0a437c', '#6d1f62', '#584477'];

  const state = { title: null, prometheus: 'unknown', error: null, updates: 0, updatedAt: null, panels: [] };
  window.dashboard = state;

  let panels = [];

  class QueryError extends Error {
    constructor(message, unreachable) {
      super(message);
      this.unreachable = unreachable;
    }
  }

  async function start() {
    try {
      const response = await fetch('dashboard.json', { cache: 'no-store' });
      if (!response.ok) {
        throw new Error('dashboard.json: HTTP ' + response.status + ' ' + (await response.text()));
      }
      build(await response.json());
    }
    catch (error) {
      state.error = 'Cannot load the dashboard: ' + error.message;
      note(state.error);
      setTimeout(start, REFRESH_MILLIS);
      return;
    }
    window.addEventListener('resize', () => panels.forEach(resize));
    refresh();
  }

  function build(dashboard) {
    state.title = dashboard.title || 'Subscription platform';
    document.title = state.title;
    document.getElementById('title').textContent = state.title;
    const definitions = [];
    (dashboard.panels || []).forEach(panel => {
      if (panel.type === 'row') {
        (panel.panels || []).forEach(nested => definitions.push(nested));
      }
      else if (Array.isArray(panel.targets)) {
        definitions.push(panel);
      }
    });
    const container = document.getElementById('panels');
    panels = definitions.map((definition, index) => createPanel(definition, index));
    panels.forEach(panel => container.appendChild(panel.element));
    state.panels = panels.map(panel => panel.summary);
  }

  function createPanel(definition, index) {
    const grid = definition.gridPos || { x: (index % 2) * 12, y: Math.floor(index / 2) * 8, w: 12, h: 8 };
    const element = document.createElement('section');
    element.className = 'panel';
    element.dataset.title = definition.title || '';
    element.style.gridColumn = (grid.x + 1) + ' / span ' + grid.w;
    element.style.gridRow = (grid.y + 1) + ' / span ' + grid.h;
    const heading = document.createElement('h2');
    heading.textContent = definition.title || '';
    const chart = document.createElement('div');
    chart.className = 'chart';
    const list = document.createElement('ul');
    list.className = 'series';
    element.append(heading, chart, list);
    const unit = ((definition.fieldConfig || {}).defaults || {}).unit || 'short';
    const targets = (definition.targets || []).filter(target => target.expr && !target.hide);
    return {
      element, chart, list, unit, targets, plot: null, key: null, start: 0, end: 0,
      summary: { title: definition.title || '', unit, last: null, max: null, points: 0, error: null, series: [] },
    };
  }

  async function refresh() {
    const end = Date.now() / 1000;
    const start = end - RANGE_SECONDS;
    const outcomes = await Promise.allSettled(panels.map(panel => refreshPanel(panel, start, end)));
    const unreachable = outcomes.find(outcome => outcome.status === 'rejected' && outcome.reason.unreachable);
    if (unreachable) {
      state.prometheus = 'unreachable';
      state.error = unreachable.reason.message;
      note(state.error + '. ./run-local starts Prometheus when the prometheus package is installed '
        + '(sudo apt-get install prometheus on Debian or Ubuntu, or https://prometheus.io/download/).');
    }
    else {
      state.prometheus = 'up';
      state.error = null;
      note(null);
    }
    state.updates++;
    state.updatedAt = new Date().toISOString();
    document.body.dataset.prometheus = state.prometheus;
    document.body.dataset.updates = String(state.updates);
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    setTimeout(refresh, REFRESH_MILLIS);
  }

  async function refreshPanel(panel, start, end) {
    panel.start = start;
    panel.end = end;
    let results;
    try {
      results = await Promise.all(panel.targets.map(target => queryRange(target.expr, start, end)
        .then(result => ({ target, result }))));
    }
    catch (error) {
      showError(panel, error.message);
      throw error;
    }
    const series = [];
    results.forEach(({ target, result }) => result.forEach(item => series.push({
      name: legend(target, item.metric || {}),
      values: item.values || [],
    })));
    series.sort((a, b) => a.name.localeCompare(b.name));
    uniqueNames(series);
    const times = [...new Set(series.flatMap(item => item.values.map(value => Number(value[0]))))]
      .sort((a, b) => a - b);
    const index = new Map(times.map((time, position) => [time, position]));
    const data = [times];
    series.forEach(item => {
      const ys = new Array(times.length).fill(null);
      item.values.forEach(([time, value]) => {
        const number = Number(value);
        ys[index.get(Number(time))] = Number.isFinite(number) ? number : null;
      });
      data.push(ys);
    });
    showError(panel, null);
    summarize(panel, series.map(item => item.name), data);
    render(panel, series.map(item => item.name), data);
  }

  async function queryRange(expr, start, end) {
    const url = 'api/v1/query_range?' + new URLSearchParams({
      query: expr, start: start.toFixed(3), end: end.toFixed(3), step: String(STEP_SECONDS),
    });
    let response;
    try {
      response = await fetch(url, { cache: 'no-store' });
    }
    catch (error) {
      throw new QueryError('The dashboard server does not answer (' + error.message + ')', true);
    }
    let body;
    try {
      body = await response.json();
    }
    catch (error) {
      throw new QueryError('Prometheus answered HTTP ' + response.status, response.status === 502);
    }
    if (body.status !== 'success') {
      throw new QueryError(body.error || ('HTTP ' + response.status), body.errorType === 'unreachable');
    }
    return body.data.result;
  }

  function legend(target, metric) {
    const format = target.legendFormat;
    if (format && format !== '__auto') {
      return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (match, label) => metric[label] ?? '');
    }
    const labels = Object.entries(metric)
      .filter(([label]) => label !== '__name__')
      .map(([label, value]) => label + '="' + value + '"');
    const name = metric.__name__ || '';
    return labels.length ? name + '{' + labels.join(', ') + '}' : (name || target.expr);
  }

  function uniqueNames(series) {
    const seen = new Map();
    series.forEach(item => {
      const count = (seen.get(item.name) || 0) + 1;
      seen.set(item.name, count);
      if (count > 1) {
        item.name = item.name + ' (' + count + ')';
      }
    });
  }

  function render(panel, names, data) {
    const key = names.join('\u0000');
    if (panel.plot && panel.key === key) {
      resize(panel);
      panel.plot.setData(data);
      return;
    }
    if (panel.plot) {
      panel.plot.destroy();
    }
    panel.chart.textContent = '';
    const size = chartSize(panel);
    panel.plot = new uPlot({
      width: size.width,
      height: size.height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: () => [panel.start, panel.end] },
        y: { range: (plot, min, max) => [Math.min(0, min ?? 0), (max ?? 0) > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { stroke: '#6e7681', grid: { stroke: '#eceef0' } },
        { stroke: '#6e7681', grid: { stroke: '#eceef0' }, size: 64,
          values: (plot, splits) => splits.map(value => format(panel.unit, value)) },
      ],
      series: [{}].concat(names.map((name, position) => ({
        label: name,
        stroke: COLORS[position % COLORS.length],
        width: 1.5,
        points: { show: false },
        value: (plot, value) => format(panel.unit, value),
      }))),
    }, data, panel.chart);
    panel.key = key;
  }

  function summarize(panel, names, data) {
    const newest = data[0].length - 1;
    const series = names.map((name, position) => {
      const values = data[position + 1];
      const drawn = values.filter(value => value !== null);
      return {
        name,
        last: newest >= 0 ? values[newest] : null,
        max: drawn.length ? Math.max(...drawn) : null,
        points: drawn.length,
      };
    });
    const lasts = series.map(item => item.last).filter(value => value !== null);
    const maxima = series.map(item => item.max).filter(value => value !== null);
    Object.assign(panel.summary, {
      last: lasts.length ? lasts.reduce((sum, value) => sum + value, 0) : null,
      max: maxima.length ? Math.max(...maxima) : null,
      points: series.reduce((sum, item) => sum + item.points, 0),
      series,
    });
    const element = panel.element;
    element.dataset.last = attribute(panel.summary.last);
    element.dataset.max = attribute(panel.summary.max);
    element.dataset.points = String(panel.summary.points);
    element.dataset.series = String(series.length);
    const colored = series.map((item, position) => ({ item, color: COLORS[position % COLORS.length] }));
    colored.sort((a, b) => (b.item.last ?? -Infinity) - (a.item.last ?? -Infinity)
      || a.item.name.localeCompare(b.item.name));
    panel.list.replaceChildren(...colored.map(({ item, color }) => {
      const entry = document.createElement('li');
      entry.dataset.series = item.name;
      entry.dataset.last = attribute(item.last);
      entry.dataset.max = attribute(item.max);
      entry.dataset.points = String(item.points);
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = color;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = item.name;
      name.title = item.name;
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = 'last ' + format(panel.unit, item.last) + ' · max ' + format(panel.unit, item.max);
      entry.append(swatch, name, value);
      return entry;
    }));
    if (!series.length) {
      const entry = document.createElement('li');
      entry.className = 'value';
      entry.textContent = 'No data';
      panel.list.replaceChildren(entry);
    }
  }

  function showError(panel, message) {
    panel.summary.error = message;
    if (message) {
      panel.element.dataset.error = message;
    }
    else {
      delete panel.element.dataset.error;
    }
  }

  function attribute(value) {
    return value === null ? '' : String(value);
  }

  function chartSize(panel) {
    return { width: Math.max(120, panel.chart.clientWidth), height: Math.max(80, panel.chart.clientHeight) };
  }

  function resize(panel) {
    const size = chartSize(panel);
    if (panel.plot && (panel.plot.width !== size.width || panel.plot.height !== size.height)) {
      panel.plot.setSize(size);
    }
  }

  function note(message) {
    const element = document.getElementById('note');
    element.hidden = !message;
    element.textContent = message || '';
  }

  function format(unit, value) {
    if (value === null || value === undefined || !Number.isFinite(value)) {
      return '–';
    }
    switch (unit) {
      case 's':
        return duration(value);
      case 'ms':
        return duration(value / 1000);
      case 'percentunit':
        return rounded(value * 100) + '%';
      case 'percent':
        return rounded(value) + '%';
      case 'reqps':
        return short(value) + ' req/s';
      default:
        return short(value);
    }
  }

  function short(value) {
    const size = Math.abs(value);
    if (size >= 1e9) {
      return rounded(value / 1e9) + 'G';
    }
    if (size >= 1e6) {
      return rounded(value / 1e6) + 'M';
    }
    if (size >= 1e3) {
      return rounded(value / 1e3) + 'k';
    }
    return rounded(value);
  }

  function duration(seconds) {
    const size = Math.abs(seconds);
    if (size === 0) {
      return '0 s';
    }
    if (size < 1) {
      return rounded(seconds * 1000) + ' ms';
    }
    if (size < 60) {
      return rounded(seconds) + ' s';
    }
    if (size < 3600) {
      return rounded(seconds / 60) + ' min';
    }
    if (size < 86400) {
      return rounded(seconds / 3600) + ' h';
    }
    return rounded(seconds / 86400) + ' d';
  }

  function rounded(value) {
    const size = Math.abs(value);
    return String(Number(value.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2)));
  }

  start();
})();
