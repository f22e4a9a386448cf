// Where the renderer's main thread spent a recorded Chromium trace (one edit of the editor
// bench): self time by event name, style recalcs and layouts with how many elements and
// layout objects they walked, paints, raster, and the invalidation reasons Chromium logged.
// Usage: node e2e/bench/trace-summary.js TRACE.json   (or required by editor-bench.js)

// Timeline events, their arguments (element and object counts), user timing marks and
// invalidation tracking (which node and why style or layout had to be redone).
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'disabled-by-default-devtools.timeline.invalidationTracking',
  'blink.user_timing',
  'v8.execute',
  'cc',
];

const round = (x) => Math.round(x * 10) / 10;

function top(map, n) {
  return Object.fromEntries(
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, round(v)]),
  );
}

function summarize(text) {
  const parsed = JSON.parse(text);
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const thread = (e) => names.get(`${e.pid}:${e.tid}`) || '';
  // The renderer main thread with the most timeline work is the page's.
  const work = new Map();
  for (const e of events) {
    if (thread(e) === 'CrRendererMain' && e.ph === 'X') work.set(`${e.pid}:${e.tid}`, (work.get(`${e.pid}:${e.tid}`) || 0) + (e.dur || 0));
  }
  const main = [...work.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === main);
  const pid = main && main.split(':')[0];

  // Self time per event name on the main thread (complete events nest by time).
  const complete = onMain.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  let first = Infinity;
  let last = 0;
  for (const e of complete) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    if (stack.length) {
      const parent = stack[stack.length - 1];
      self.set(parent.name, (self.get(parent.name) || 0) - Math.min(e.dur, parent.ts + parent.dur - e.ts) / 1000);
    } else {
      first = Math.min(first, e.ts);
      last = Math.max(last, e.ts + e.dur);
    }
    self.set(e.name, (self.get(e.name) || 0) + e.dur / 1000);
    stack.push(e);
  }

  const phase = (name) => complete.filter((e) => e.name === name);
  const sum = (xs) => round(xs.reduce((a, e) => a + e.dur / 1000, 0));
  const style = phase('UpdateLayoutTree');
  const layout = phase('Layout');
  const paints = phase('Paint');
  const raster = events.filter((e) => `${e.pid}` === pid && e.ph === 'X' && e.name === 'RasterTask');
  const marks = onMain
    .filter((e) => e.cat && e.cat.includes('blink.user_timing') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n'))
    .map((e) => [e.name, round((e.ts - first) / 1000)]);

  // Invalidations: which kind of node, and why.
  const why = new Map();
  for (const e of events) {
    if (!e.name.endsWith('InvalidationTracking')) continue;
    const d = (e.args && e.args.data) || {};
    const key = `${e.name.replace('InvalidationTracking', '')}: ${d.reason || d.changedAttribute || d.changedClass || d.changedId || d.changedPseudo || '?'} on ${d.nodeName || '?'}`;
    why.set(key, (why.get(key) || 0) + 1);
  }
  return {
    main_thread_span_ms: round((last - first) / 1000),
    self_ms: top(self, 18),
    style: {
      ms: sum(style),
      count: style.length,
      elements: style.reduce((a, e) => a + ((e.args.elementCount ?? e.args.beginData?.elementCount ?? e.args.endData?.elementCount) || 0), 0),
    },
    layout: {
      ms: sum(layout),
      count: layout.length,
      dirty_objects: layout.map((e) => e.args.beginData?.dirtyObjects),
      total_objects: layout.map((e) => e.args.beginData?.totalObjects),
      partial: layout.map((e) => e.args.beginData?.partialLayout),
    },
    pre_paint_ms: sum(phase('PrePaint')),
    paint: { ms: sum(paints), count: paints.length, biggest: paints.map((e) => e.args.data?.clip).filter(Boolean).slice(0, 3) },
    layerize_ms: sum(phase('Layerize')),
    commit_ms: sum(phase('Commit')),
    raster_ms_all_threads: sum(raster),
    gc_ms: sum(complete.filter((e) => /GC|Collect/.test(e.name))),
    marks,
    invalidations: top(why, 15),
  };
}

module.exports = { summarize, TRACE_CATEGORIES };

if (require.main === module) {
  console.log(JSON.stringify(summarize(require('fs').readFileSync(process.argv[2], 'utf8')), null, 1));
}
