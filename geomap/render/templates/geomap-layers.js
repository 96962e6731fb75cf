/* Display layers: points, grid clusters, heat, the admin-1 choropleth, the
 * offline basemap, place labels and places only mentioned.  Markers are built
 * lazily, only for the layers that are on, and every layer follows M.visible.
 */
(function () {
  'use strict';
  var G = window.geomap, esc = G.esc;

  // ---------------------------------------------------------------- popups
  function popupHtml(M, i) {
    var D = M.D, str = M.str, t = D.types[D.t[i]], rows = [];
    function row(label, value) { if (value !== '' && value !== null && value !== undefined) rows.push('<tr><th>' + esc(label) + '</th><td>' + value + '</td></tr>'); }
    var sub = str('sub', i);
    row('Date', esc(str('date', i) || 'unknown'));
    row('Type', G.swatch(t, 12) + ' ' + esc(t.name) + (sub ? ' — ' + esc(sub) : ''));
    var a1 = str('a1', i), a2 = str('a2', i);
    row('Actors', esc(a1) + (a2 ? ' vs ' + esc(a2) : ''));
    var place = [str('loc', i), str('adm', i), str('country', i)].filter(function (s) { return s; });
    var p = D.p[i], conf = D.conf ? D.conf[i] : -1;
    row('Location', esc(place.join(', ')) + '<br><small>precision ' + (p > 0 ? p + ': ' + (G.PRECISION[p] || '') : 'unknown') +
      (conf >= 0 ? ' · confidence ' + conf + '%' : '') + '</small>');
    row('Also placed', (M.secOf[i] || []).map(function (k) {
      return esc(M.SEC.name[k]) + ' <small>(precision ' + (M.SEC.p[k] || '?') + ')</small>';
    }).join('<br>'));
    row('Deaths', esc(G.fmtDeaths(D.lo[i], D.d[i], D.hi[i])));
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
  G.popupHtml = function (i) { return popupHtml(G.M, i); };

  G.makeLayers = function (M) {
    var map = M.map, D = M.D, N = M.N, R = M.R, cfg = M.cfg;
    M.popupHtml = function (i) { return popupHtml(M, i); };
    M.openPopup = function (i, latlng) {
      var r = D.p[i] === 3 ? 0 : G.radiusFor(D.d[i]);
      return L.popup({ maxWidth: 320, maxHeight: 300, offset: [0, 7 - r], autoPanPaddingTopLeft: [60, 90],
                       autoPanPaddingBottomRight: [60, 40], className: 'gm-popup-wrap' })
        .setLatLng(latlng || [D.lat[i], D.lon[i]]).setContent(M.popupHtml(i)).openOn(map);
    };
    G.openPopup = M.openPopup;

    // An event may have further places (the town and its province): each is
    // drawn at its own precision and opens the event's popup.
    var SEC = M.SEC = D.sec || { ev: [], lat: [], lon: [], p: [], name: [], r: [], fa: [] }, secOf = M.secOf = {};
    SEC.ev.forEach(function (i, k) { (secOf[i] = secOf[i] || []).push(k); });

    M.styleOf = function (i, p) {
      var t = D.types[D.t[i]], d = D.d[i];
      return { shape: t.shape, radius: G.radiusFor(d), color: d < 0 ? t.color : '#222', weight: d < 0 ? 2.5 : 1,
               fillColor: d < 0 ? '#ffffff' : t.color, fillOpacity: d < 0 ? 0.85 : p === 2 ? 0.45 : 0.8,
               dashArray: p === 2 ? '3 3' : null };
    };
    // region-level events that share a region are drawn fainter, so that they never add up to a blot
    var perRegion = {};
    function countArea(fa, p) { if (p === 3 && fa >= 0) perRegion[fa] = (perRegion[fa] || 0) + 1; }
    for (var q = 0; q < N; q++) countArea(D.fa[q], D.p[q]);
    SEC.ev.forEach(function (_, k) { countArea(SEC.fa[k], SEC.p[k]); });
    function styledMarker(i, lat, lon, p, r, fa) {
      var t = D.types[D.t[i]], m;
      if (p === 3) {
        var area = { color: t.color, weight: 1.5, dashArray: '6 5', fillColor: t.color, renderer: R,
                     fillOpacity: Math.min(0.12, 0.3 / (perRegion[fa] || 1)) };
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
        var style = M.styleOf(i, p);
        style.renderer = R;
        m = new G.ShapeMarker([lat, lon], style);
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

    var points = L.featureGroup();
    points.on('click', function (e) { L.DomEvent.stop(e); M.clickEvent(e.layer._gi, e.layer); });
    var clusters = G.gridClusters(M);
    var heat = L.heatLayer([], { radius: 22, blur: 18, minOpacity: 0.35, max: D.heatMax || 1 });
    M.layers = G.layers = { points: points, clusters: clusters, heat: heat };
    var entry = { layer: points, dirty: true };

    function rebuildPoints() {
      points.clearLayers();
      var list = [];
      for (var i = 0; i < N; i++) if (M.visible[i]) Array.prototype.push.apply(list, pointMarker(i));
      list.forEach(function (m) { points.addLayer(m); if (m._area) m.bringToBack(); });
      entry.dirty = false;
    }
    function rebuildHeat() {
      var pts = [];
      for (var i = 0; i < N; i++) if (M.visible[i] && D.d[i] > 0) pts.push([D.lat[i], D.lon[i], D.d[i]]);
      heat.setLatLngs(pts);
      heat.dirty = false;
    }
    // the points layer is updated marker by marker while it is on and small changes come
    M.wantChanges = function () { return map.hasLayer(points) && !entry.dirty; };
    M.onFilter('points, clusters, heat', function (diff) {
      var changed = diff.changed > 0;
      if (!map.hasLayer(points)) entry.dirty = entry.dirty || changed;
      else if (entry.dirty || !diff.lists || diff.changed > N / 4) rebuildPoints();
      else {
        diff.remove.forEach(function (j) { pointMarker(j).forEach(function (m) { points.removeLayer(m); }); });
        diff.add.forEach(function (j) {
          pointMarker(j).forEach(function (m) { points.addLayer(m); if (m._area) m.bringToBack(); });
        });
      }
      if (changed || diff.change === 'all') clusters.invalidate();
      if (map.hasLayer(heat)) { if (changed || heat.dirty !== false) rebuildHeat(); } else if (changed) heat.dirty = true;
    });
    points.on('add', function () { if (entry.dirty) rebuildPoints(); });
    heat.on('add', function () { if (heat.dirty !== false) rebuildHeat(); });

    // ---------------------------------------------------- the basemap
    var basePane = map.createPane('gm-basemap');
    basePane.style.zIndex = 150;
    basePane.style.pointerEvents = 'none';
    if (D.world) {
      L.geoJSON(D.world, {
        pane: 'gm-basemap', interactive: false,
        style: { color: '#8a8a8a', weight: 0.7, fillColor: '#f5f2ea', fillOpacity: 1 },
      }).addTo(map);
    }
    M.admin = G.choropleth(M);
    M.labels = G.labelLayer(M);
    var credits = [];
    if (D.world || D.admin) credits.push('Outlines: <a href="https://www.naturalearthdata.com/">Natural Earth</a>');
    if (D.labels && D.labels.k.some(function (k) { return k < 3; })) {  // names from the gazetteer
      credits.push('Names: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)');
    }
    if (map.attributionControl && credits.length) map.attributionControl.addAttribution(credits.join(' · '));
    var mentions = null;
    if (D.mentions && D.mentions.lat.length) {
      mentions = L.featureGroup();
      for (var m = 0; m < D.mentions.lat.length; m++) {
        var mk = new G.ShapeMarker([D.mentions.lat[m], D.mentions.lon[m]], {
          shape: 'square', radius: 4, color: '#555', weight: 1.5, fillColor: '#ddd', fillOpacity: 0.6, dashArray: '2 2',
        });
        mk.bindPopup('<div class="gm-popup"><b>' + esc(D.mentions.text[m]) + '</b><br>only mentioned in ' + esc(D.mentions.doc[m]) +
          '<br><small>not an event location</small></div>');
        mentions.addLayer(mk);
      }
    }
    M.layers.mentions = mentions;
    M.layers.admin = M.admin;
    M.layers.labels = M.labels;
  };

  // ------------------------------------------------------------- clusters
  /* Grid clustering: events are bucketed into CELL-pixel squares at the
   * current zoom (Web Mercator worked out once per event), so clustering 100k
   * events takes tens of milliseconds and no object exists per event. */
  G.gridClusters = function (M) {
    var D = M.D, N = M.N, CELL = 80;
    var MX = new Float64Array(N), MY = new Float64Array(N);
    for (var q = 0; q < N; q++) {
      var sn = Math.max(-0.9999, Math.min(0.9999, Math.sin((D.lat[q] * Math.PI) / 180)));
      MX[q] = (D.lon[q] + 180) / 360;
      MY[q] = 0.5 - Math.log((1 + sn) / (1 - sn)) / (4 * Math.PI);
    }
    function cellKey(i, scale) { return Math.floor(MX[i] * scale) * 67108864 + Math.floor(MY[i] * scale); }
    var dotIcons = D.types.map(function (t) {
      return L.divIcon({ className: 'gm-dot', html: G.swatch(t, 14), iconSize: [14, 14], iconAnchor: [7, 7] });
    });
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
        var scale = (256 * Math.pow(2, z)) / CELL, cells = new Map(), list = [], vis = M.visible;
        for (var i = 0; i < N; i++) {
          if (!vis[i]) continue;
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
            mk.on('click', function () { M.clickEvent(c.first); });
          } else {
            mk = L.marker([lat, lon], { icon: clusterIcon(c), keyboard: false });
            mk.on('click', function () { self._open(c, z); });
          }
          group.addLayer(mk);
        });
        m.fire('geomap:clustered');
      },
      _open: function (c, z) {
        var m = this._map;
        if (z < m.getMaxZoom() && (c.no - c.s > 1e-6 || c.e - c.w > 1e-6)) {
          m.fitBounds([[c.s, c.w], [c.no, c.e]], { padding: [40, 40] });
          return;
        }
        var scale = (256 * Math.pow(2, z)) / CELL, members = [];  // one place: spread them out
        for (var i = 0; i < N; i++) if (M.visible[i] && cellKey(i, scale) === c.key) members.push(i);
        M.spread(members, L.latLng(D.lat[c.first], D.lon[c.first]));
      },
    });
    return new GridCluster();
  };

  // ----------------------------------------------------------- choropleth
  var PALETTE = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
  /* Class limits for deaths per region: up to 5 "nice" steps to the largest. */
  function breaks(max) {
    var nice = [1, 2, 5], out = [];
    for (var k = 1; k < 5; k++) {
      var v = Math.pow(max, k / 5), e = Math.pow(10, Math.floor(Math.log10(v))), best = e;
      nice.forEach(function (s) { if (Math.abs(s * e - v) < Math.abs(best - v)) best = s * e; });
      if (best > 1 && best <= max && out.indexOf(best) < 0 && best > (out[out.length - 1] || 1)) out.push(best);
    }
    return out;  // classes: [1, b0), [b0, b1), ... [b_last, max]
  }
  G.choroplethBreaks = breaks;

  G.choropleth = function (M) {
    var D = M.D, N = M.N, map = M.map;
    if (!D.admin || !D.admin.features.length) return null;
    var pane = map.createPane('gm-admin');
    pane.style.zIndex = 350;
    var feats = D.admin.features, R = feats.length;
    var scale = breaks(Math.max(1, D.adminMaxDeaths || 1));
    var count = new Int32Array(R), dead = new Float64Array(R);
    function classOf(d) {
      var k = 0;
      while (k < scale.length && d >= scale[k]) k++;
      return k + (PALETTE.length - scale.length - 1);
    }
    function style(f) {
      var k = f._gm, n = count[k], d = dead[k], z = map.getZoom(), fade = z >= 10 ? 0.4 : z >= 8 ? 0.7 : 1;
      if (!n) return { color: '#777', weight: 0.8, opacity: 0.9, fillOpacity: 0, dashArray: '4 3' };
      if (d <= 0) return { color: '#666', weight: 0.9, opacity: 0.9, fillColor: '#bdbdbd', fillOpacity: 0.35 * fade, dashArray: null };
      return { color: '#555', weight: 0.9, opacity: 0.9, fillColor: PALETTE[classOf(d)], fillOpacity: 0.5 * fade, dashArray: null };
    }
    map.on('zoomend', function () { if (map.hasLayer(layer)) layer.setStyle(style); });  // fainter up close
    feats.forEach(function (f, k) { f._gm = k; });
    var layer = L.geoJSON(D.admin, {
      pane: 'gm-admin', renderer: L.svg({ pane: 'gm-admin' }), style: style,
      onEachFeature: function (f, lyr) {
        lyr.bindTooltip(function () {
          var k = f._gm;
          return '<b>' + esc(f.properties.name) + '</b> (' + esc(f.properties.country) + ')<br>' +
            G.plural(count[k], 'event') + ', ' + dead[k].toLocaleString('en') + ' deaths (best), as filtered';
        }, { sticky: true });
      },
    });
    function recount() {
      count = M.stats.regionEvents; dead = M.stats.regionDeaths;
      layer.setStyle(style);
      layer.counts = { events: count, deaths: dead };
    }
    M.onFilter('choropleth', function (diff) { if (diff.changed || diff.change === 'all') recount(); });
    layer.scale = { breaks: scale, palette: PALETTE, max: D.adminMaxDeaths || 0, classOf: classOf };
    return layer;
  };

  // --------------------------------------------------------------- labels
  var KIND = ['country', 'admin1', 'city', 'event'];
  var ORDER = { low: [0, 2, 1, 3], mid: [2, 1, 0, 3], high: [3, 2, 1, 0] };
  function maxZoom(kind) { return kind === 0 ? 7 : kind === 1 ? 10 : 18; }
  function shortName(name, kind) { return kind === 1 ? name.replace(/\s+(Governorate|Province|Region|District|Oblast|State|Prefecture|Department)$/i, '') : name; }

  G.labelLayer = function (M) {
    var map = M.map, Lb = M.D.labels;
    if (!Lb || !Lb.name.length) return null;
    var pane = map.createPane('gm-labels');
    pane.style.zIndex = 590;  // over areas, points and heat; under cluster icons, tooltips, popups
    pane.style.pointerEvents = 'none';
    var byKind = [[], [], [], []];
    Lb.name.forEach(function (_, k) { byKind[Lb.k[k]].push(k); });
    var few = byKind[3].length <= 30;  // a few places with events: they are named first
    var Labels = L.Layer.extend({
      onAdd: function (m) {
        this._el = L.DomUtil.create('div', 'gm-labels', m.getPane('gm-labels'));
        m.on('zoomend moveend', this._draw, this);
        m.on('zoomstart', this._hide, this);
        this._draw();
      },
      onRemove: function (m) {
        m.off('zoomend moveend', this._draw, this);
        m.off('zoomstart', this._hide, this);
        L.DomUtil.remove(this._el);
      },
      _hide: function () { this._el.style.display = 'none'; },
      _draw: function () {
        var m = this._map, z = m.getZoom(), view = m.getBounds().pad(0.05), boxes = [], html = [];
        var order = z < 5 ? ORDER.low : few || z >= 9 ? ORDER.high : z < 6 ? ORDER.low : ORDER.mid;
        order.forEach(function (kind) {
          byKind[kind].forEach(function (k) {
            if (Lb.z[k] > z || z > maxZoom(kind) || boxes.length > 400) return;
            if (!view.contains([Lb.lat[k], Lb.lon[k]])) return;
            var text = shortName(Lb.name[k], kind), p = m.latLngToLayerPoint([Lb.lat[k], Lb.lon[k]]);
            var w = text.length * (kind === 0 ? 8 : 6.8) + 8, h = kind === 0 ? 18 : 16, dy = kind === 2 ? -12 : kind === 3 ? -22 : 0;
            var box = [p.x - w / 2, p.y + dy - h / 2, p.x + w / 2, p.y + dy + h / 2];
            for (var b = 0; b < boxes.length; b++) {
              var o = boxes[b];
              if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) return;
            }
            boxes.push(box);
            html.push('<div class="gm-label gm-label-' + KIND[kind] + '" style="left:' + Math.round(p.x) + 'px;top:' +
              Math.round(p.y + dy) + 'px">' + (kind === 2 ? '<i></i>' : '') + esc(text) + '</div>');
          });
        });
        this._el.innerHTML = html.join('');
        this._el.style.display = '';
        this.shown = boxes.length;
      },
    });
    return new Labels();
  };
})();
