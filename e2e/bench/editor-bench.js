// The editor's speed in Chromium on a synthetic estate (?scenario=synthetic:enterprise by
// default): frames per second while a VNet is dragged (requestAnimationFrame counting),
// and the time from an edit (a keyboard command) to the updated canvas painted.
// Usage: (serve dist/ on PORT) node e2e/bench/editor-bench.js [PORT] [ESTATE] [RUNS]
// Prints one JSON line of medians (with the split of an edit into phases, from the page's
// performance marks); BENCHMARKS.md records them.
// BENCH_TRACE=PREFIX also records a Chromium performance trace of the first Delete and the
// first undo (PREFIX-delete.json, PREFIX-undo.json; open them in DevTools' Performance
// panel) and prints where the main thread spent them (e2e/bench/trace-summary.js).
const { chromium } = require('playwright-core');
const { summarize, TRACE_CATEGORIES } = require('./trace-summary');

const port = Number(process.argv[2] || 8181);
const estate = process.argv[3] || 'enterprise';
const runs = Number(process.argv[4] || 5);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function frameCounter(page) {
  await page.evaluate(() => {
    window.__frames = [];
    const tick = (t) => {
      window.__frames.push(t);
      window.__raf = requestAnimationFrame(tick);
    };
    window.__raf = requestAnimationFrame(tick);
  });
}

// Time from the next keydown to the first frame painted after the canvas changed.
async function armEditTimer(page) {
  await page.evaluate(() => {
    window.__t0 = 0;
    window.__t1 = 0;
    // The browser's own account (Event Timing): from the key's event to the next frame
    // presented after its handlers, rounded to 8 ms. Yew renders in the same task, so that
    // frame holds the edit, whatever work the page queued behind it.
    window.__presented = 0;
    if (!window.__eventObserver) {
      window.__eventObserver = new PerformanceObserver((list) => {
        for (const it of list.getEntries()) {
          if (it.name === 'keydown' && window.__t0 && it.processingStart >= window.__t0 - 1) window.__presented = it.duration;
        }
      });
      window.__eventObserver.observe({ type: 'event', durationThreshold: 16, buffered: false });
    }
    const canvas = document.querySelector('[data-testid=canvas]');
    const onKey = () => {
      window.__t0 = performance.now();
      document.removeEventListener('keydown', onKey, true);
    };
    document.addEventListener('keydown', onKey, true);
    const observer = new MutationObserver(() => {
      if (!window.__t0) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => (window.__t1 = performance.now()), 0));
    });
    observer.observe(canvas, { subtree: true, attributes: true, childList: true });
  });
}

async function editTime(page, key, tracePath) {
  await armEditTimer(page);
  if (tracePath) await page.context().browser().startTracing(page, { path: tracePath, categories: TRACE_CATEGORIES });
  await page.keyboard.press(key);
  await page.waitForFunction(() => window.__t1 > 0, null, { timeout: 60_000 });
  if (tracePath) {
    await page.context().browser().stopTracing();
    console.error(`${key} trace: ${tracePath}`);
    console.error(JSON.stringify(summarize(require('fs').readFileSync(tracePath, 'utf8')), null, 1));
  }
  // Event Timing entries are delivered a little after the frame.
  await page.waitForFunction(() => window.__presented > 0, null, { timeout: 2_000 }).catch(() => null);
  return page.evaluate(() => [window.__t1 - window.__t0, window.__presented]);
}

// The phases of the last edit, from the page's performance marks (src/ui/timing.rs, on
// with `&timing=1`): each phase ends at its mark; absent phases (no design change) are 0.
const PHASES = [
  ['dispatch', 'edit:start'], // keydown to the reducer
  ['command', 'edit:command'], // Editor: plan, apply, validate
  ['compare', 'edit:compare'], // did the design change?
  ['clone', 'edit:clone'], // the design snapshot the components share
  ['analysis', 'edit:analysis'],
  ['people', 'edit:people'], // the people panel's input, when the edit touched it
  ['scene', 'edit:scene'],
  ['diff', 'edit:diff'],
  ['overlay', 'edit:overlay'],
  ['to_render', 'render:app'], // reducer done to the page's render
  ['render', 'render:committed'], // yew: components and the DOM patch
  // then style, layout, paint: to the frame after
  ['paint', null], // style, layout, paint: to the frame after
];
async function editSplit(page) {
  // Panels that catch up after the paint (src/ui/later.rs) mark when they have.
  await page.waitForTimeout(400);
  return page.evaluate((phases) => {
    const all = performance.getEntriesByType('mark').filter((m) => m.startTime >= window.__t0);
    const later = all.filter((m) => m.name === 'render:later');
    const marks = all.filter((m) => m.startTime <= window.__t1);
    const at = (name, after) => {
      const it = marks.find((m) => m.name === name && m.startTime >= after);
      return it ? it.startTime : null;
    };
    const split = {};
    let last = window.__t0;
    for (const [phase, mark] of phases) {
      let t = mark ? at(mark, last) : window.__t1;
      if (mark === 'render:committed') {
        const all = marks.filter((m) => m.name === mark && m.startTime >= last);
        t = all.length ? all[all.length - 1].startTime : null;
      }
      split[phase] = t === null ? 0 : t - last;
      if (t !== null) last = t;
    }
    // Until the last of those panels was drawn (or the paint, if none waited).
    split.settled = (later.length ? Math.max(window.__t1, later[later.length - 1].startTime) : window.__t1) - window.__t0;
    performance.clearMarks();
    return split;
  }, PHASES);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', ...(process.env.BENCH_CHROMIUM_ARGS ? process.env.BENCH_CHROMIUM_ARGS.split(' ') : [])],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${port}/?scenario=synthetic:${estate}&timing=1`);
  await page.waitForSelector('[data-testid=canvas] .vnet', { timeout: 300_000 });
  const loadMs = Date.now() - started;
  // BENCH_CSS: extra style rules, to try a stylesheet change without a build.
  if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
  const countDrawn = () =>
    page.evaluate(() => document.querySelectorAll('[data-testid=canvas] .vnets > g, [data-testid=canvas] .nodes > g').length);
  const drawnFitted = await countDrawn();
  // Zoom in (the wheel, over the canvas's middle) until about 2,000 boxes and cards are drawn.
  const canvasBox = await page.getByTestId('canvas').boundingBox();
  await page.mouse.move(canvasBox.x + canvasBox.width / 2, canvasBox.y + canvasBox.height / 2);
  for (let i = 0; i < 12 && (await countDrawn()) > 2200; i++) {
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(400);
  }
  const drawn = await countDrawn();
  const zoom = await page.evaluate(() => document.querySelector('.zoom-level').textContent);

  // The largest VNet fully in view with a point of its own box to grab (at this zoom an
  // edge may cross its header, cards fill its subnets).
  const findGrip = () =>
    page.evaluate(() => {
      const canvas = document.querySelector('[data-testid=canvas]').getBoundingClientRect();
      const area = (it) => it.getBoundingClientRect().width * it.getBoundingClientRect().height;
      const inView = [...document.querySelectorAll('[data-testid=canvas] .vnet[data-testid]')].filter((it) => {
        const b = it.getBoundingClientRect();
        return b.left > canvas.left + 20 && b.right < canvas.right - 80 && b.top > canvas.top + 60 && b.bottom < canvas.bottom - 60;
      });
      inView.sort((a, b) => area(b) - area(a));
      for (const vnet of inView) {
        const b = vnet.getBoundingClientRect();
        for (let fy = 0.02; fy < 1; fy += 0.04) {
          for (let fx = 0.02; fx < 1; fx += 0.04) {
            const [x, y] = [b.x + b.width * fx, b.y + b.height * fy];
            const hit = document.elementFromPoint(x, y);
            if (hit && hit.closest('[data-select]') === vnet && !hit.closest('[data-handle]')) return { x, y };
          }
        }
      }
      return null;
    });
  const fps = [];
  const worst = [];
  const moveMs = [];
  for (let run = 0; run < runs; run++) {
    const from = await findGrip();
    if (!from) throw new Error('no VNet to grab in view');
    await frameCounter(page);
    // BENCH_TRACE also traces the second drag (the first one freezes the picture).
    const dragTrace = process.env.BENCH_TRACE && run === 1 ? `${process.env.BENCH_TRACE}-drag.json` : null;
    if (dragTrace) await browser.startTracing(page, { path: dragTrace, categories: TRACE_CATEGORIES });
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    const t0 = await page.evaluate(() => performance.now());
    for (let i = 1; i <= 60; i++) await page.mouse.move(from.x + i, from.y + i / 2);
    const t1 = await page.evaluate(() => performance.now());
    if (dragTrace) {
      await browser.stopTracing();
      console.error(`drag trace: ${dragTrace}`);
    }
    await armEditTimer(page);
    await page.evaluate(() => (window.__t0 = performance.now()));
    await page.mouse.up();
    await page.waitForFunction(() => window.__t1 > 0, null, { timeout: 60_000 });
    moveMs.push(await page.evaluate(() => window.__t1 - window.__t0));
    const frames = await page.evaluate(([a, b]) => window.__frames.filter((t) => t >= a && t <= b), [t0, t1]);
    await page.evaluate(() => cancelAnimationFrame(window.__raf));
    fps.push(((frames.length - 1) * 1000) / (frames[frames.length - 1] - frames[0]));
    let gap = 0;
    for (let i = 1; i < frames.length; i++) gap = Math.max(gap, frames[i] - frames[i - 1]);
    worst.push(gap);
    if (process.env.BENCH_DEBUG) console.error(frames.slice(1).map((t, i) => Math.round(t - frames[i])).join(' '));
  }

  // One edit that changes verdicts: select a peering link, Delete (re-analysis, relayout,
  // redraw), then Ctrl+Z (the same again, but the page keeps the analyses of recent states,
  // so the undo shows verdicts it computed before). Each is also reported on its own: the
  // Delete is the fresh edit the budget is about.
  const editMs = [];
  const byKey = { Delete: [], 'Control+z': [] };
  const presentedMs = [];
  const splits = [];
  // With BENCH_TRACE, one more Delete and undo first, traced and left out of the medians.
  for (let run = process.env.BENCH_TRACE ? -1 : 0; run < runs; run++) {
    const edge = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid=canvas]').getBoundingClientRect();
      for (const it of document.querySelectorAll('[data-testid=canvas] .edge.peering.connected .edge-line')) {
        const b = it.getBoundingClientRect();
        const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
        if (x < canvas.left + 40 || x > canvas.right - 40 || y < canvas.top + 80 || y > canvas.bottom - 80) continue;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('.edge') === it.closest('.edge')) return { x, y };
      }
      return null;
    });
    if (!edge) break;
    await page.mouse.click(edge.x, edge.y);
    await page.waitForTimeout(300);
    for (const key of ['Delete', 'Control+z']) {
      const trace = run < 0 ? `${process.env.BENCH_TRACE}-${key === 'Delete' ? 'delete' : 'undo'}.json` : null;
      const [ms, presented] = await editTime(page, key, trace);
      const split = await editSplit(page);
      if (trace) {
        console.error(key, 'traced', Math.round(ms), JSON.stringify(split, (k, v) => (typeof v === 'number' ? Math.round(v) : v)));
        await page.waitForTimeout(Number(process.env.BENCH_PAUSE || 300));
        continue;
      }
      editMs.push(ms);
      presentedMs.push(presented);
      splits.push({ ...split, presented });
      byKey[key].push({ ms, split });
      if (process.env.BENCH_DEBUG) console.error(key, Math.round(editMs[editMs.length - 1]), JSON.stringify(splits[splits.length - 1], (k, v) => (typeof v === 'number' ? Math.round(v) : v)));
      // Let the autosave (if any) run before the next edit, as a person's pause would.
      await page.waitForTimeout(Number(process.env.BENCH_PAUSE || 300));
    }
  }
  const phaseMedians = (list) => {
    const out = {};
    for (const phase of [...PHASES.map((it) => it[0]), 'settled']) out[phase] = Number(median(list.map((it) => it[phase])).toFixed(1));
    return out;
  };
  const split = phaseMedians(splits);
  const keyMedian = (key) => (byKey[key].length ? Number(median(byKey[key].map((it) => it.ms)).toFixed(0)) : null);
  console.log(
    JSON.stringify({
      estate,
      boxes_and_cards_drawn_fitted: drawnFitted,
      boxes_and_cards_drawn: drawn,
      zoom,
      load_ms: loadMs,
      drag_fps_median: Number(median(fps).toFixed(1)),
      drag_worst_frame_ms_median: Number(median(worst).toFixed(1)),
      move_commit_to_paint_ms_median: Number(median(moveMs).toFixed(0)),
      edit_to_paint_ms_median: editMs.length ? Number(median(editMs).toFixed(0)) : null,
      edit_to_paint_ms_all: editMs.map((it) => Math.round(it)),
      // Event Timing: keydown to the frame with the edit presented (0: not reported).
      edit_to_presented_ms_median: presentedMs.length ? median(presentedMs) : null,
      edit_to_presented_ms_all: presentedMs,
      edit_split_ms_median: split,
      delete_to_paint_ms_median: keyMedian('Delete'),
      delete_to_paint_ms_all: byKey.Delete.map((it) => Math.round(it.ms)),
      delete_split_ms_median: byKey.Delete.length ? phaseMedians(byKey.Delete.map((it) => it.split)) : null,
      undo_to_paint_ms_median: keyMedian('Control+z'),
      undo_to_paint_ms_all: byKey['Control+z'].map((it) => Math.round(it.ms)),
      undo_split_ms_median: byKey['Control+z'].length ? phaseMedians(byKey['Control+z'].map((it) => it.split)) : null,
      runs,
    }),
  );
  await browser.close();
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
