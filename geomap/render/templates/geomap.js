/* geomap: the page's data (one JSON block) drawn as layers, with filters, a time
 * chart, search and exports.  This file holds the shared pieces and G.init;
 * geomap-layers.js, geomap-filters.js, geomap-chart.js, geomap-tools.js and
 * geomap-controls.js each add one part (they are concatenated in that order).
 *
 * Every filter (event type, actor, deaths, precision, dates) narrows one
 * array, M.visible; every display (points, clusters, heat, choropleth, chart,
 * title, counts) is redrawn from it, so they always agree.
 */
(function () {
  'use strict';
  var G = (window.geomap = window.geomap || {});

  function esc(value) {
    return String(value === null || value === undefined ? '' : value).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  G.esc = esc;

  // ---------------------------------------------------------------- shapes
  var SHAPES = {
    square: [4, Math.PI / 4, 1.2],
    diamond: [4, 0, 1.3],
    triangle: [3, -Math.PI / 2, 1.45],
    invtriangle: [3, Math.PI / 2, 1.45],
    hexagon: [6, 0, 1.1],
  };
  function shapePoints(shape, p, r) {
    var s = SHAPES[shape], pts = [];
    for (var k = 0; k < s[0]; k++) {
      var a = s[1] + (2 * Math.PI * k) / s[0];
      pts.push([p.x + r * s[2] * Math.cos(a), p.y + r * s[2] * Math.sin(a)]);
    }
    return pts;
  }
  L.Canvas.include({
    _updateGeomapShape: function (layer) {
      if (!this._drawing || layer._empty()) return;
      var pts = shapePoints(layer.options.shape, layer._point, layer._radius), ctx = this._ctx;
      ctx.beginPath();
      ctx.moveTo(pts[0][0], pts[0][1]);
      for (var i = 1; i < pts.length; i++) ctx.lineTo(pts[i][0], pts[i][1]);
      ctx.closePath();
      this._fillStroke(ctx, layer);
    },
  });
  L.SVG.include({
    _updateGeomapShape: function (layer) {
      var pts = shapePoints(layer.options.shape, layer._point, layer._radius);
      var d = layer._empty() ? 'M0 0' : 'M' + pts.map(function (q) { return q[0].toFixed(1) + ',' + q[1].toFixed(1); }).join('L') + 'z';
      this._setPath(layer, d);
    },
  });
  G.ShapeMarker = L.CircleMarker.extend({
    options: { shape: 'circle' },
    _updatePath: function () {
      if (SHAPES[this.options.shape]) this._renderer._updateGeomapShape(this);
      else this._renderer._updateCircle(this);
    },
  });

  G.swatch = function (type, size) {
    size = size || 14;
    var h = size / 2, r = size / 2 - 1.5, body;
    if (SHAPES[type.shape]) {
      body = '<polygon points="' + shapePoints(type.shape, { x: h, y: h }, r * 0.85).map(function (q) {
        return q[0].toFixed(1) + ',' + q[1].toFixed(1);
      }).join(' ') + '"';
    } else {
      body = '<circle cx="' + h + '" cy="' + h + '" r="' + r + '"';
    }
    return '<svg class="gm-swatch" width="' + size + '" height="' + size + '" aria-hidden="true">' + body +
      ' fill="' + esc(type.color) + '" stroke="#222" stroke-width="1"/></svg>';
  };

  G.radiusFor = function (deaths) {
    if (deaths < 0) return 6;
    if (deaths === 0) return 4.5;
    return Math.min(26, 5 + 2.2 * Math.sqrt(deaths));
  };

  G.PRECISION = { 1: 'the town itself', 2: 'near the town / part of a region', 3: 'somewhere in the region' };

  // ---------------------------------------------------------------- figures
  /* Deaths as analysts write them: "33", "≥ 33" (a low with no high), "43–52 (best 47)",
   * "unknown"; -1 is unknown. */
  function num(v) { return v.toLocaleString('en'); }
  G.fmtDeaths = function (lo, best, hi) {
    if (lo < 0 && hi < 0) return best < 0 ? 'unknown' : num(best);  // a single figure, or none
    if (lo < 0) lo = best;
    if (lo < 0) return '≤ ' + num(hi);
    var inside = best > lo && (hi < 0 || best < hi) ? ' (best ' + num(best) + ')' : '';
    if (hi < 0) return '≥ ' + num(lo) + inside;
    return hi <= lo ? num(lo) : num(lo) + '–' + num(hi) + inside;
  };
  G.isoDay = function (d) { return new Date(d * 86400000).toISOString().slice(0, 10); };
  G.plural = function (n, word) { return n.toLocaleString('en') + ' ' + word + (n === 1 ? '' : 's'); };
  /* Text folded for matching: lower case, no diacritics, no Arabic article. */
  G.fold = function (text) {
    return String(text || '').normalize('NFD').replace(/[\u0300-\u036f\u02bb\u02bf\u2018\u2019'`]/g, '')
      .toLowerCase().replace(/\b(al|el|ar|as|ad|an|at|az|ash)[- ]/g, '').replace(/\s+/g, ' ').trim();
  };

  // ------------------------------------------------------------------ data
  function expand(D) {
    var N = D.n;
    Object.keys(D).forEach(function (key) {
      var c = D[key];  // a column where every row has the same value
      if (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 1 && 'k' in c) D[key] = new Array(N).fill(c.k);
    });
    ['lat', 'lon'].forEach(function (k) { D[k] = Float64Array.from(D[k]); });
    ['t', 'd', 'lo', 'hi', 'p', 'day', 'rg', 'fa', 'r', 'civ', 'f', 'conf'].forEach(function (k) {
      if (D[k]) D[k] = Int32Array.from(D[k]);
    });
  }

  /* Actors (actor1 and actor2 together) as ids, with how many events name each. */
  function actorTable(M) {
    var D = M.D, N = M.N, ids = new Map(), names = [], counts = [];
    function idOf(col, i) {
      var v = D[col][i], name = typeof v === 'string' ? v : M.S[v];
      if (!name) return -1;
      var id = ids.get(name);
      if (id === undefined) { id = names.length; ids.set(name, id); names.push(name); counts.push(0); }
      return id;
    }
    var A1 = new Int32Array(N), A2 = new Int32Array(N);
    for (var i = 0; i < N; i++) {
      A1[i] = idOf('a1', i); A2[i] = idOf('a2', i);
      if (A1[i] >= 0) counts[A1[i]]++;
      if (A2[i] >= 0 && A2[i] !== A1[i]) counts[A2[i]]++;
    }
    M.actors = { names: names, counts: counts, folded: names.map(G.fold), A1: A1, A2: A2 };
  }

  // ------------------------------------------------------------------ init
  G.init = function (cfg) {
    var map = cfg.map, times = G.initTimes = {}, t0 = performance.now();
    function mark(name) { var t = performance.now(); times[name] = t - t0; t0 = t; }
    if (map.options.maxZoom === undefined) map.setMaxZoom(cfg.maxZoom || 18);
    var D = JSON.parse(document.getElementById(cfg.dataId).textContent);
    mark('parse');
    expand(D);
    var M = {
      map: map, cfg: cfg, D: D, S: D.strings, N: D.n,
      R: D.n > cfg.svgLimit ? L.canvas({ padding: 0.3 }) : L.svg({ padding: 0.3 }),
      small: !!cfg.collapsed || window.innerWidth < 800 || window.innerHeight < 600,
    };
    M.str = function (col, i) { var v = D[col][i]; return typeof v === 'string' ? v : M.S[v]; };
    actorTable(M);
    mark('columns');
    G.M = M; G.data = D; G.map = map; G.str = M.str;
    var title = document.querySelector('.gm-title');
    if (title) map.getContainer().appendChild(title);  // part of the view (and of its PNG)

    G.makeFilters(M);
    G.makeLayers(M);
    mark('layers');
    G.makeControls(M);
    mark('panels');
    G.makeChart(M);
    G.makeTools(M);
    mark('chart and tools');
    M.fitView = function (bounds) {
      if (!bounds) return;
      var box = map.getContainer(), c = box.getBoundingClientRect(), tl = [50, 60], br = [20, 20];
      function edge(sel, side) {
        var el = box.querySelector(sel), r = el && el.getBoundingClientRect();
        return r && r.width ? (side === 'left' ? c.right - r.left : side === 'top' ? c.bottom - r.top : r.bottom - c.top) : 0;
      }
      tl[1] = Math.max(tl[1], edge('.gm-title', 'bottom') + 12, edge('.leaflet-top.leaflet-left', 'bottom') + 8);
      br[0] = Math.max(br[0], Math.min(c.width / 3, Math.max(edge('.leaflet-top.leaflet-right', 'left'),
        edge('.leaflet-bottom.leaflet-right', 'left')) + 12));
      br[1] = Math.max(br[1], Math.min(c.height / 2.5, edge('.gm-time', 'top') + 12));
      map.fitBounds(bounds, { paddingTopLeft: tl, paddingBottomRight: br, maxZoom: 10, animate: false });
    };
    M.fitView(D.bounds);
    mark('view');
    M.refilter('all');
    mark('first draw');

    // the benchmark and the browser tests wait for this
    L.Util.requestAnimFrame(function () {
      G.ready = performance.now();
      document.documentElement.setAttribute('data-geomap-ready', '1');
    });
  };
})();
