/* The time panel under the map: deaths (best, with the low–high band) and
 * events per day, week or month, the date sliders and play/pause.  The chart
 * counts the events that pass every filter but the dates; the chosen dates
 * are the bright part.
 */
(function () {
  'use strict';
  var G = window.geomap, esc = G.esc;
  var STEP = { day: 1, week: 7, month: 30.44 };

  /* Bins of one granularity over [day0, day1]: each day's bin and each bin's first day. */
  function binning(day0, day1, unit) {
    var n = day1 - day0 + 1, of = new Int32Array(n), starts = [];
    for (var d = 0; d < n; d++) {
      var start;
      if (unit === 'day') start = day0 + d;
      else if (unit === 'week') start = day0 + d - (((day0 + d + 3) % 7) + 7) % 7;  // weeks from Monday
      else { var x = new Date((day0 + d) * 86400000); start = Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), 1) / 86400000; }
      if (!starts.length || starts[starts.length - 1] !== start) starts.push(start);
      of[d] = starts.length - 1;
    }
    return { unit: unit, of: of, starts: starts, n: starts.length };
  }

  G.makeChart = function (M) {
    var D = M.D, N = M.N, map = M.map;
    if (!N) return;
    var span = D.day1 - D.day0;
    var chart = { unit: span <= 62 ? 'day' : span <= 730 ? 'week' : 'month', playing: null };
    M.chart = G.chart = chart;

    function aggregate() {
      var b = chart.bins = binning(D.day0, D.day1, chart.unit), n = b.n;
      var ev = new Float64Array(n), lo = new Float64Array(n), best = new Float64Array(n), hi = new Float64Array(n);
      for (var i = 0; i < N; i++) {
        var day = D.day[i];
        if (!M.base[i] || day < 0) continue;
        var k = b.of[day - D.day0], l = D.lo[i] >= 0 ? D.lo[i] : Math.max(D.d[i], 0), e = D.d[i] >= 0 ? D.d[i] : l;
        ev[k]++; lo[k] += l; best[k] += e; hi[k] += Math.max(D.hi[i] >= 0 ? D.hi[i] : e, l, e);
      }
      chart.events = ev; chart.lo = lo; chart.best = best; chart.hi = hi;
    }

    function draw() {
      var cv = chart.canvas, ratio = window.devicePixelRatio || 1, W = cv.clientWidth, H = cv.clientHeight;
      if (!W) return;
      cv.width = Math.round(W * ratio); cv.height = Math.round(H * ratio);
      var ctx = cv.getContext('2d'), b = chart.bins, n = b.n, top = 12, h = H - top - 14;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, W, H);
      var maxEv = Math.max(1, Math.max.apply(null, chart.events)), maxD = Math.max(1, Math.max.apply(null, chart.hi));
      var bw = W / n, st = M.state;
      function x(k) { return k * bw; }
      for (var k = 0; k < n; k++) {  // events: bars, bright inside the chosen dates
        var inside = b.starts[k] + (k + 1 < n ? b.starts[k + 1] - b.starts[k] : 1) - 1 >= st.lo && b.starts[k] <= st.hi;
        var bh = (chart.events[k] / maxEv) * h;
        ctx.fillStyle = inside ? '#7a8a99' : '#d3d9df';
        ctx.fillRect(x(k) + bw * 0.1, top + h - bh, Math.max(1, bw * 0.8), bh);
      }
      function y(v) { return top + h - (v / maxD) * h; }
      ctx.beginPath();  // deaths: low–high band, then the best line
      for (k = 0; k < n; k++) ctx.lineTo(x(k + 0.5), y(chart.hi[k]));
      for (k = n - 1; k >= 0; k--) ctx.lineTo(x(k + 0.5), y(chart.lo[k]));
      ctx.closePath();
      ctx.fillStyle = 'rgba(178, 24, 43, 0.22)';
      ctx.fill();
      ctx.beginPath();
      for (k = 0; k < n; k++) ctx.lineTo(x(k + 0.5), y(chart.best[k]));
      ctx.strokeStyle = '#b2182b'; ctx.lineWidth = 1.6;
      ctx.stroke();
      function xOfDay(d) {  // the left edge of day d, inside its bin
        if (d > D.day1) return W;
        var j = b.of[d - D.day0], s = Math.max(b.starts[j], D.day0), e = j + 1 < n ? b.starts[j + 1] : D.day1 + 1;
        return (j + (d - s) / (e - s)) * bw;
      }
      var a = xOfDay(st.lo), z = xOfDay(st.hi + 1);  // the chosen dates
      ctx.fillStyle = 'rgba(255, 255, 255, 0.55)';
      ctx.fillRect(0, top, Math.max(0, a), h);
      ctx.fillRect(z, top, Math.max(0, W - z), h);
      ctx.strokeStyle = '#1f4e79'; ctx.lineWidth = 1.5;
      ctx.strokeRect(a, top, Math.max(1, z - a), h);
      ctx.fillStyle = '#333'; ctx.font = '10px system-ui, sans-serif';
      ctx.textAlign = 'left'; ctx.fillText('events per ' + chart.unit + ' (bars, max ' + maxEv + ')', 2, 9);
      ctx.textAlign = 'right'; ctx.fillStyle = '#b2182b';
      ctx.fillText('deaths: best, band low–high (max ' + Math.round(maxD) + ')', W - 2, 9);
      ctx.fillStyle = '#555'; ctx.textAlign = 'left'; ctx.fillText(G.isoDay(D.day0), 2, H - 2);
      ctx.textAlign = 'right'; ctx.fillText(G.isoDay(D.day1), W - 2, H - 2);
      chart.drawn = { lo: st.lo, hi: st.hi, bins: n };
    }
    chart.draw = draw;

    var control = L.control({ position: 'bottomleft' });
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'gm-box gm-time');
      div.innerHTML = '<div class="gm-time-head"><button type="button" class="gm-play" title="Play: move the dates forward">▶</button>' +
        '<span class="gm-range"></span><label>per <select class="gm-unit"><option>day</option><option>week</option>' +
        '<option>month</option></select></label><button type="button" class="gm-fold gm-noprint" aria-expanded="true" title="Hide the chart">▾</button></div>' +
        '<div class="gm-time-body"><canvas class="gm-chart" height="90"></canvas>' +
        '<div class="gm-sliders"><input type="range" class="gm-from" step="1" aria-label="from date">' +
        '<input type="range" class="gm-to" step="1" aria-label="to date"></div></div>' +
        '<div class="gm-time-foot">' + (D.undated ? '<label class="gm-und"><input type="checkbox" class="gm-undated" checked> ' +
        D.undated + ' undated</label> ' : '') + '<span class="gm-count"></span></div>';
      chart.canvas = div.querySelector('canvas');
      var from = div.querySelector('.gm-from'), to = div.querySelector('.gm-to'), unit = div.querySelector('.gm-unit');
      var play = div.querySelector('.gm-play'), fold = div.querySelector('.gm-fold');
      [from, to].forEach(function (el) { el.min = D.day0; el.max = D.day1; });
      from.value = D.day0; to.value = D.day1;
      function markUnit() {  // the chosen option as an attribute too: a PNG of the view shows it
        Array.prototype.forEach.call(unit.options, function (o) { o.toggleAttribute('selected', o.value === chart.unit); });
      }
      unit.value = chart.unit;
      markUnit();
      chart.from = from; chart.to = to;
      function moved() {
        var a = +from.value, b = +to.value;
        if (a > b) { if (this === from) to.value = a; else from.value = b; a = +from.value; b = +to.value; }
        M.setDates(a, b);
      }
      from.addEventListener('input', moved);
      to.addEventListener('input', moved);
      unit.addEventListener('change', function () { chart.unit = unit.value; markUnit(); aggregate(); draw(); });
      var und = div.querySelector('.gm-undated');
      if (und) und.addEventListener('change', function () { M.setUndated(und.checked); });
      play.addEventListener('click', function () { if (chart.playing) chart.pause(); else chart.play(); });
      fold.addEventListener('click', function () {
        var open = div.classList.toggle('gm-folded');
        fold.setAttribute('aria-expanded', String(!open));
        fold.textContent = open ? '▴' : '▾';
        if (!open) draw();
      });
      if (M.small) { div.classList.add('gm-folded'); fold.textContent = '▴'; fold.setAttribute('aria-expanded', 'false'); }
      chart.countEl = div.querySelector('.gm-count');
      chart.rangeEl = div.querySelector('.gm-range');
      chart.playEl = play;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);

    /* Play: the chosen window moves forward one bin at a time to the last date. */
    chart.play = function () {
      var st = M.state, width = st.hi - st.lo, stepDays = Math.max(1, Math.round(STEP[chart.unit]));
      if (st.hi >= D.day1) {  // at the end: start again from the first dates
        width = width >= span ? Math.max(stepDays - 1, Math.round(span / 10)) : width;
        M.setDates(D.day0, D.day0 + width);
      }
      chart.playing = setInterval(function () {
        var s = M.state, w = s.hi - s.lo;
        if (s.hi >= D.day1) { chart.pause(); return; }
        var lo = Math.min(s.lo + stepDays, D.day1 - w);
        M.setDates(lo, lo + w);
      }, 450);
      chart.playEl.textContent = '❚❚';
      chart.playEl.title = 'Pause';
      map.fire('geomap:play', { playing: true });
    };
    chart.pause = function () {
      clearInterval(chart.playing);
      chart.playing = null;
      chart.playEl.textContent = '▶';
      chart.playEl.title = 'Play: move the dates forward';
      map.fire('geomap:play', { playing: false });
    };

    M.onFilter('chart', function (diff) {
      var st = M.state;
      chart.from.value = st.lo; chart.to.value = st.hi;
      chart.rangeEl.textContent = G.isoDay(st.lo) + ' – ' + G.isoDay(st.hi);
      chart.countEl.textContent = M.shown.toLocaleString('en') + ' of ' + N.toLocaleString('en') +
        (N === 1 ? ' event shown' : ' events shown');
      if (diff.change !== 'date' || !chart.bins) aggregate();
      if (!chart.canvas.closest('.gm-folded')) draw();
    });
  };
})();
