/* geomap event layers: data passed once as JSON, markers built in the browser.
 *
 * Event-type overlays are filters: switching one off hides that type in every
 * display layer (points, grid clusters, heat).  The time control filters the same
 * way.  Markers are created lazily, only for the display layers that are on.
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
  var ShapeMarker = L.CircleMarker.extend({
    options: { shape: 'circle' },
    _updatePath: function () {
      if (SHAPES[this.options.shape]) this._renderer._updateGeomapShape(this);
      else this._renderer._updateCircle(this);
    },
  });
  G.ShapeMarker = ShapeMarker;

  function swatch(type, size) {
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
  }
  G.swatch = swatch;

  function radiusFor(deaths) {
    if (deaths < 0) return 6;
    if (deaths === 0) return 4.5;
    return Math.min(26, 5 + 2.2 * Math.sqrt(deaths));
  }
  G.radiusFor = radiusFor;

  var PRECISION = { 1: 'the town itself', 2: 'near the town / part of a region', 3: 'somewhere in the region' };

  function fmtNum(v) { return v < 0 ? '?' : String(v); }

  // ------------------------------------------------------------------ init
  G.init = function (cfg) {
    var map = cfg.map;
    // MarkerCluster needs a maxZoom on the map itself when there is no tile layer
    if (map.options.maxZoom === undefined) map.setMaxZoom(cfg.maxZoom || 18);
    var D = JSON.parse(document.getElementById(cfg.dataId).textContent);
    var S = D.strings, N = D.n;
    Object.keys(D).forEach(function (key) {
      var c = D[key];  // a column where every row has the same value
      if (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 1 && 'k' in c) D[key] = new Array(N).fill(c.k);
    });
    var R = N > cfg.svgLimit ? L.canvas({ padding: 0.3 }) : L.svg({ padding: 0.3 });
    G.data = D;
    G.map = map;
    // set the view before any layer is added: a move during MarkerCluster's
    // chunked loading breaks it
    if (D.bounds) map.fitBounds(D.bounds, { padding: [60, 60], maxZoom: 8, animate: false });

    function str(col, i) { var v = D[col][i]; return typeof v === 'string' ? v : S[v]; }
    G.str = str;

    // ---------------------------------------------------------- popups
    function popupHtml(i) {
      var t = D.types[D.t[i]], rows = [];
      function row(label, value) { if (value !== '' && value !== null && value !== undefined) rows.push('<tr><th>' + esc(label) + '</th><td>' + value + '</td></tr>'); }
      var sub = str('sub', i);
      row('Date', esc(str('date', i) || 'unknown'));
      row('Type', swatch(t, 12) + ' ' + esc(t.name) + (sub ? ' — ' + esc(sub) : ''));
      var a1 = str('a1', i), a2 = str('a2', i);
      row('Actors', esc(a1) + (a2 ? ' vs ' + esc(a2) : ''));
      var place = [str('loc', i), str('adm', i), str('country', i)].filter(function (s) { return s; });
      var p = D.p[i];
      row('Location', esc(place.join(', ')) + '<br><small>precision ' + (p > 0 ? p + ': ' + PRECISION[p] : 'unknown') + '</small>');
      row('Also placed', (secOf[i] || []).map(function (k) {
        return esc(SEC.name[k]) + ' <small>(precision ' + (SEC.p[k] || '?') + ')</small>';
      }).join('<br>'));
      var lo = D.lo[i], best = D.d[i], hi = D.hi[i];
      row('Deaths', best < 0 && lo < 0 && hi < 0 ? 'unknown' : esc(fmtNum(lo) + '–' + fmtNum(hi) + ' (' + fmtNum(best) + ')'));
      var civ = [], f = D.f[i];
      if (D.civ[i] >= 0) civ.push(D.civ[i] + ' civilians killed');
      else if (f & 1) civ.push('civilians among the dead');
      if (f & 2) civ.push('including children');
      row('Civilians', esc(civ.join(', ')));
      row('Sources', esc(str('src', i)));
      var quote = str('quote', i);
      if (quote) row('Quote', '<q>' + esc(quote) + '</q>');
      var url = str('url', i);
      if (/^https?:\/\//i.test(url)) row('Link', '<a href="' + esc(url) + '" target="_blank" rel="noopener noreferrer">' + esc(url) + '</a>');
      var id = str('id', i);
      return '<div class="gm-popup"><table>' + rows.join('') + '</table>' + (id ? '<div class="gm-id">' + esc(id) + '</div>' : '') + '</div>';
    }
    G.popupHtml = popupHtml;
    function openPopup(i) {
      L.popup({ maxWidth: 380, autoPanPaddingTopLeft: [40, 90], autoPanPaddingBottomRight: [40, 40] }).setLatLng([D.lat[i], D.lon[i]]).setContent(popupHtml(i)).openOn(map);
    }
    G.openPopup = openPopup;

    // ---------------------------------------------------------- filters
    var typeOn = D.types.map(function () { return true; });
    var range = { lo: D.day0, hi: D.day1, undated: true };
    var visible = new Uint8Array(N);
    function isVisible(i) {
      if (!typeOn[D.t[i]]) return false;
      var day = D.day[i];
      if (day < 0) return range.undated;
      return day >= range.lo && day <= range.hi;
    }

    // ------------------------------------------------- display layers
    // An event may have further places (e.g. the town and its province):
    // each is drawn at its own precision and opens the event's popup.
    var SEC = D.sec || { ev: [], lat: [], lon: [], p: [], name: [], r: [], fa: [] }, secOf = {};
    SEC.ev.forEach(function (i, k) { (secOf[i] = secOf[i] || []).push(k); });
    function styledMarker(i, lat, lon, p, r, fa) {
      var t = D.types[D.t[i]], d = D.d[i], m;
      if (p === 3) {
        var area = { color: t.color, weight: 1.5, dashArray: '6 5', fillColor: t.color, fillOpacity: 0.12, renderer: R };
        var f = fa >= 0 && N <= cfg.svgLimit && D.admin ? D.admin.features[fa] : null;
        if (f) {  // the region's own outline (small maps); a circle of its area otherwise
          var g = f.geometry;
          m = L.polygon(L.GeoJSON.coordsToLatLngs(g.coordinates, g.type === 'Polygon' ? 1 : 2), area);
        } else {
          area.radius = r || 25000;
          m = L.circle([lat, lon], area);
        }
        m._area = true;
      } else {
        m = new ShapeMarker([lat, lon], {
          shape: t.shape, radius: radiusFor(d), renderer: R,
          color: d < 0 ? t.color : '#222', weight: d < 0 ? 2.5 : 1,
          fillColor: d < 0 ? '#ffffff' : t.color, fillOpacity: d < 0 ? 0.85 : p === 2 ? 0.45 : 0.8,
          dashArray: p === 2 ? '3 3' : null,
        });
      }
      m._gi = i;
      return m;
    }
    var pointMarkers = new Array(N);
    function pointMarker(i) {  // -> the markers of event i (main place first)
      var ms = pointMarkers[i];
      if (ms) return ms;
      ms = [styledMarker(i, D.lat[i], D.lon[i], D.p[i], D.r[i], D.fa[i])];
      (secOf[i] || []).forEach(function (k) {
        ms.push(styledMarker(i, SEC.lat[k], SEC.lon[k], SEC.p[k], SEC.r[k], SEC.fa[k]));
      });
      pointMarkers[i] = ms;
      return ms;
    }
    var dotIcons = D.types.map(function (t) {
      return L.divIcon({ className: 'gm-dot', html: swatch(t, 14), iconSize: [14, 14], iconAnchor: [7, 7] });
    });
    // ------------------------------------------------------ clusters
    // Grid clustering: events are bucketed into CELL-pixel squares at the
    // current zoom (Web Mercator worked out once per event), so clustering
    // 100k events takes tens of milliseconds and no object exists per event.
    var MX = new Float64Array(N), MY = new Float64Array(N), CELL = 80;
    for (var q = 0; q < N; q++) {
      var sn = Math.max(-0.9999, Math.min(0.9999, Math.sin((D.lat[q] * Math.PI) / 180)));
      MX[q] = (D.lon[q] + 180) / 360;
      MY[q] = 0.5 - Math.log((1 + sn) / (1 - sn)) / (4 * Math.PI);
    }
    function cellKey(i, scale) { return Math.floor(MX[i] * scale) * 67108864 + Math.floor(MY[i] * scale); }
    function clusterIcon(c) {
      var size = Math.round(24 + 6 * Math.log10(c.n)), cls = c.n < 10 ? 'gm-c1' : c.n < 100 ? 'gm-c2' : 'gm-c3';
      return L.divIcon({
        className: 'gm-cluster ' + cls, iconSize: [size, size],
        html: '<div title="' + c.n + ' events, ' + c.deaths + ' deaths (best)"><span>' + c.n + '</span></div>',
      });
    }
    var GridCluster = L.Layer.extend({
      onAdd: function (m) {
        this._group = L.layerGroup().addTo(m);
        m.on('moveend', this._draw, this);
        this._draw();
      },
      onRemove: function (m) {
        m.off('moveend', this._draw, this);
        m.removeLayer(this._group);
        this._group = null;
      },
      invalidate: function () { this._cache = {}; if (this._group) this._draw(); },
      _cells: function (z) {
        this._cache = this._cache || {};
        if (this._cache[z]) return this._cache[z];
        var scale = (256 * Math.pow(2, z)) / CELL, cells = new Map(), list = [];
        for (var i = 0; i < N; i++) {
          if (!visible[i]) continue;
          var key = cellKey(i, scale), c = cells.get(key);
          if (!c) {
            c = { key: key, n: 0, x: 0, y: 0, deaths: 0, first: i, s: 90, w: 180, no: -90, e: -180 };
            cells.set(key, c);
            list.push(c);
          }
          c.n++; c.x += MX[i]; c.y += MY[i];
          if (D.d[i] > 0) c.deaths += D.d[i];
          if (D.lat[i] < c.s) c.s = D.lat[i];
          if (D.lat[i] > c.no) c.no = D.lat[i];
          if (D.lon[i] < c.w) c.w = D.lon[i];
          if (D.lon[i] > c.e) c.e = D.lon[i];
        }
        this._cache[z] = list;
        return list;
      },
      _draw: function () {
        var m = this._map, z = m.getZoom(), list = this._cells(z), view = m.getBounds().pad(0.3);
        var group = this._group, self = this;
        group.clearLayers();
        list.forEach(function (c) {
          var y = c.y / c.n, lat = (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
          var lon = (c.x / c.n) * 360 - 180, mk;
          if (!view.contains([lat, lon])) return;
          if (c.n === 1) {
            mk = L.marker([D.lat[c.first], D.lon[c.first]], { icon: dotIcons[D.t[c.first]], keyboard: false });
            mk.on('click', function () { openPopup(c.first); });
          } else {
            mk = L.marker([lat, lon], { icon: clusterIcon(c), keyboard: false });
            mk.on('click', function () { self._open(c, z); });
          }
          group.addLayer(mk);
        });
        map.fire('geomap:clustered');
      },
      _open: function (c, z) {
        var m = this._map;
        if (z < m.getMaxZoom() && (c.no - c.s > 1e-6 || c.e - c.w > 1e-6)) {
          m.fitBounds([[c.s, c.w], [c.no, c.e]], { padding: [40, 40] });
          return;
        }
        var scale = (256 * Math.pow(2, z)) / CELL, members = [];  // same place: list them
        for (var i = 0; i < N && members.length < 8; i++) if (visible[i] && cellKey(i, scale) === c.key) members.push(i);
        L.popup({ maxWidth: 380, maxHeight: 360 }).setLatLng([c.s, c.w])
          .setContent(members.map(popupHtml).join('<hr>') + (c.n > members.length ? '<p>… and ' + (c.n - members.length) + ' more</p>' : ''))
          .openOn(m);
      },
    });

    var points = L.featureGroup();
    var clusters = new GridCluster();
    var heat = L.heatLayer([], { radius: 22, blur: 18, minOpacity: 0.35, max: D.heatMax || 1 });
    points.on('click', function (e) { L.DomEvent.stop(e); openPopup(e.layer._gi); });
    var display = [
      { layer: points, make: pointMarker, dirty: true },
    ];
    G.layers = { points: points, clusters: clusters, heat: heat };

    function rebuild(entry) {
      entry.layer.clearLayers();
      var list = [];
      for (var i = 0; i < N; i++) if (visible[i]) Array.prototype.push.apply(list, entry.make(i));
      list.forEach(function (m) { entry.layer.addLayer(m); if (m._area) m.bringToBack(); });
      entry.dirty = false;
    }
    function rebuildHeat() {
      var pts = [];
      for (var i = 0; i < N; i++) if (visible[i] && D.d[i] > 0) pts.push([D.lat[i], D.lon[i], D.d[i]]);
      heat.setLatLngs(pts);
      heat.dirty = false;
    }

    var countEl = null;
    function refilter() {
      var add = [], remove = [], shown = 0;
      for (var i = 0; i < N; i++) {
        var v = isVisible(i) ? 1 : 0;
        shown += v;
        if (v !== visible[i]) { (v ? add : remove).push(i); visible[i] = v; }
      }
      display.forEach(function (entry) {
        if (!map.hasLayer(entry.layer)) { entry.dirty = entry.dirty || add.length + remove.length > 0; return; }
        if (entry.dirty) return rebuild(entry);
        remove.forEach(function (j) { entry.make(j).forEach(function (m) { entry.layer.removeLayer(m); }); });
        add.forEach(function (j) {
          entry.make(j).forEach(function (m) {
            entry.layer.addLayer(m);
            if (m._area) m.bringToBack();  // region areas stay under point events
          });
        });
      });
      if (add.length + remove.length) clusters.invalidate();
      if (map.hasLayer(heat)) rebuildHeat(); else heat.dirty = true;
      G.shown = shown;
      if (countEl) countEl.textContent = shown + ' of ' + N + ' events shown';
      map.fire('geomap:filtered', { shown: shown });
    }
    G.refilter = refilter;
    display.forEach(function (entry) {
      entry.layer.on('add', function () { if (entry.dirty) rebuild(entry); });
    });
    heat.on('add', function () { if (heat.dirty !== false) rebuildHeat(); });

    // ------------------------------------------------ type filter layers
    var typeLayers = D.types.map(function (t, k) {
      var layer = L.layerGroup();
      layer.on('add', function () { typeOn[k] = true; refilter(); });
      layer.on('remove', function () { typeOn[k] = false; refilter(); });
      return layer;
    });

    // ---------------------------------------------------- other layers
    var basePane = map.createPane('gm-basemap');
    basePane.style.zIndex = 150;
    basePane.style.pointerEvents = 'none';
    if (D.world) {
      L.geoJSON(D.world, {
        pane: 'gm-basemap', interactive: false,
        style: { color: '#8a8a8a', weight: 0.7, fillColor: '#f5f2ea', fillOpacity: 1 },
      }).addTo(map);
    }
    var admin = null;
    if (D.admin && D.admin.features.length) {
      var adminPane = map.createPane('gm-admin');
      adminPane.style.zIndex = 350;
      var maxDeaths = D.adminMaxDeaths || 1;
      admin = L.geoJSON(D.admin, {
        pane: 'gm-admin', renderer: L.svg({ pane: 'gm-admin' }),
        style: function (f) {
          var dth = f.properties.deaths, share = dth > 0 ? Math.sqrt(dth / maxDeaths) : 0;
          return { color: '#666', weight: 0.8, dashArray: '4 3', fillColor: '#b2182b', fillOpacity: f.properties.events ? 0.05 + 0.25 * share : 0 };
        },
        onEachFeature: function (f, layer) {
          var pr = f.properties;
          layer.bindTooltip('<b>' + esc(pr.name) + '</b> (' + esc(pr.country) + ')<br>' + pr.events + ' events, ' + pr.deaths + ' deaths (best), all dates', { sticky: true });
        },
      });
    }
    var mentions = null;
    if (D.mentions && D.mentions.lat.length) {
      mentions = L.featureGroup();
      for (var m = 0; m < D.mentions.lat.length; m++) {
        var mk = new ShapeMarker([D.mentions.lat[m], D.mentions.lon[m]], {
          shape: 'square', radius: 4, color: '#555', weight: 1.5, fillColor: '#ddd', fillOpacity: 0.6, dashArray: '2 2',
        });
        mk.bindPopup('<div class="gm-popup"><b>' + esc(D.mentions.text[m]) + '</b><br>only mentioned in ' + esc(D.mentions.doc[m]) +
          '<br><small>not an event location</small></div>');
        mentions.addLayer(mk);
      }
    }

    // ------------------------------------------------------ controls
    var base = {};
    if (cfg.tiles) base['OpenStreetMap'] = cfg.tiles;
    if (cfg.tiles) base['Offline outlines only'] = L.layerGroup();
    var overlays = {};
    D.types.forEach(function (t, k) {
      overlays['<span class="gm-type" data-type="' + esc(t.name) + '">' + swatch(t) + ' ' + esc(t.name) + ' (' + t.count + ')</span>'] = typeLayers[k];
    });
    overlays['<span class="gm-sep">Events as points</span>'] = points;
    overlays['Clusters'] = clusters;
    overlays['Heat (weighted by deaths)'] = heat;
    if (admin) overlays['Admin-1: events and deaths'] = admin;
    if (mentions) overlays['Places only mentioned (' + D.mentions.lat.length + ')'] = mentions;

    typeLayers.forEach(function (l) { l.addTo(map); });
    for (var i0 = 0; i0 < N; i0++) visible[i0] = isVisible(i0) ? 1 : 0;
    G.shown = N;
    if (admin) admin.addTo(map);
    (cfg.clustersOn ? clusters : points).addTo(map);
    L.control.layers(base, overlays, { collapsed: cfg.collapsed, position: 'topright' }).addTo(map);

    // time filter
    var time = L.control({ position: 'bottomleft' });
    time.onAdd = function () {
      var div = L.DomUtil.create('div', 'gm-box gm-time');
      var day = function (d) { return new Date(d * 86400000).toISOString().slice(0, 10); };
      div.innerHTML = '<div class="gm-h">Dates <span class="gm-range"></span></div>' +
        '<label>from <input type="range" class="gm-from" step="1"></label>' +
        '<label>to <input type="range" class="gm-to" step="1"></label>' +
        (D.undated ? '<label class="gm-und"><input type="checkbox" class="gm-undated" checked> ' + D.undated + ' undated</label>' : '') +
        '<div class="gm-count"></div>';
      var from = div.querySelector('.gm-from'), to = div.querySelector('.gm-to'), label = div.querySelector('.gm-range');
      [from, to].forEach(function (el) { el.min = D.day0; el.max = D.day1; });
      from.value = D.day0; to.value = D.day1;
      countEl = div.querySelector('.gm-count');
      function update() {
        var a = +from.value, b = +to.value;
        if (a > b) { if (this === from) to.value = a; else from.value = b; a = +from.value; b = +to.value; }
        range.lo = a; range.hi = b;
        label.textContent = day(a) + ' – ' + day(b);
        refilter();
      }
      from.addEventListener('input', update);
      to.addEventListener('input', update);
      var und = div.querySelector('.gm-undated');
      if (und) und.addEventListener('change', function () { range.undated = und.checked; refilter(); });
      label.textContent = day(D.day0) + ' – ' + day(D.day1);
      countEl.textContent = N + ' of ' + N + ' events shown';
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    if (N) time.addTo(map);

    // legend
    var legend = L.control({ position: 'bottomright' });
    legend.onAdd = function () {
      var div = L.DomUtil.create('div', 'gm-box gm-legend'), h = [];
      h.push('<div class="gm-h">Event types (ACLED)</div>');
      D.types.forEach(function (t) { h.push('<div>' + swatch(t) + ' ' + esc(t.name) + '</div>'); });
      h.push('<div class="gm-h">Deaths (best estimate)</div><div class="gm-sizes">');
      [1, 10, 100].forEach(function (n) {
        var r = radiusFor(n);
        h.push('<span><svg width="' + (2 * r + 2) + '" height="' + (2 * r + 2) + '"><circle cx="' + (r + 1) + '" cy="' + (r + 1) + '" r="' + r + '" fill="#999" stroke="#222"/></svg> ' + n + '</span>');
      });
      h.push('</div><div><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#fff" stroke="#555" stroke-width="2.5"/></svg> unknown &nbsp; ' +
        '<svg width="11" height="11"><circle cx="5.5" cy="5.5" r="4.5" fill="#999" stroke="#222"/></svg> none reported</div>');
      h.push('<div class="gm-h">Location precision</div>' +
        '<div><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#999" stroke="#222"/></svg> 1 the town itself</div>' +
        '<div><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#999" fill-opacity=".45" stroke="#222" stroke-dasharray="3 3"/></svg> 2 near a town / part of a region</div>' +
        '<div><svg width="14" height="14"><circle cx="7" cy="7" r="6" fill="#999" fill-opacity=".15" stroke="#777" stroke-dasharray="3 2"/></svg> 3 somewhere in the region (area)</div>');
      if (D.notes && D.notes.length) h.push('<div class="gm-note">' + D.notes.map(esc).join('<br>') + '</div>');
      div.innerHTML = h.join('');
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);


    // the benchmark and the browser tests wait for this
    L.Util.requestAnimFrame(function () {
      G.ready = performance.now();
      document.documentElement.setAttribute('data-geomap-ready', '1');
    });
  };
})();
