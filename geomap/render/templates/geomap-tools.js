/* Tools: events at one point spread out (spiderfy) or listed, the place search,
 * and exports of what is shown (CSV, GeoJSON, PNG of the view), all offline.
 */
(function () {
  'use strict';
  var G = window.geomap, esc = G.esc;
  var SPREAD_MAX = 24;  // above this many events at one point, a list instead

  G.makeTools = function (M) {
    spider(M);
    var control = L.control({ position: 'topleft' });
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'gm-box gm-tools gm-noprint');
      search(M, div);
      exporter(M, div);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(M.map);
  };

  // ------------------------------------------------------------- spiderfy
  function spider(M) {
    var map = M.map, D = M.D, N = M.N;
    var pane = map.createPane('gm-spider');
    pane.style.zIndex = 640;
    var renderer = L.svg({ pane: 'gm-spider' }), group = L.layerGroup().addTo(map);
    var stacks = null;  // "lat,lon" of a main place -> its events (made on the first click)
    function stackOf(i) {
      if (!stacks) {
        stacks = new Map();
        for (var j = 0; j < N; j++) {
          var k = D.lat[j].toFixed(4) + ',' + D.lon[j].toFixed(4), s = stacks.get(k);
          if (s) s.push(j); else stacks.set(k, [j]);
        }
      }
      return stacks.get(D.lat[i].toFixed(4) + ',' + D.lon[i].toFixed(4)) || [i];
    }
    M.spread = function (members, center) {
      group.clearLayers();
      if (members.length === 1) { M.openPopup(members[0]); return; }
      if (members.length > SPREAD_MAX) { listPopup(members, center); return; }
      var c = map.latLngToLayerPoint(center), n = members.length;
      members.forEach(function (i, k) {
        var angle, dist;
        if (n <= 9) { angle = (2 * Math.PI * k) / n - Math.PI / 2; dist = 26 + 4 * n; }
        else { angle = 0.9 * k + 0.4; dist = 18 + 5.5 * k; }  // a spiral
        var at = map.layerPointToLatLng(c.add([dist * Math.cos(angle), dist * Math.sin(angle)]));
        L.polyline([center, at], { pane: 'gm-spider', renderer: renderer, color: '#333', weight: 1.2,
                                   opacity: 0.8, interactive: false }).addTo(group);
        var style = M.styleOf(i, D.p[i] === 3 ? 2 : D.p[i]);
        style.renderer = renderer; style.pane = 'gm-spider'; style.bubblingMouseEvents = false;
        var mk = new G.ShapeMarker(at, style).addTo(group);
        mk._gi = i;
        mk.on('click', function (e) { L.DomEvent.stop(e); M.openPopup(i, at); });
      });
      M.spreadOpen = members.slice();
      map.fire('geomap:spread', { n: n });
    };
    function listPopup(members, center) {
      var rows = members.map(function (i) {
        var t = D.types[D.t[i]];
        return '<li><a href="#" data-i="' + i + '">' + G.swatch(t, 10) + ' ' + esc(M.str('date', i) || 'undated') + ' · ' +
          esc(t.name) + ' · deaths ' + esc(G.fmtDeaths(D.lo[i], D.d[i], D.hi[i])) + '</a></li>';
      });
      var div = L.DomUtil.create('div', 'gm-popup gm-list');
      div.innerHTML = '<b>' + members.length + ' events at ' + esc(M.str('loc', members[0]) || 'this point') + '</b><ol>' + rows.join('') + '</ol>';
      L.DomEvent.on(div, 'click', function (e) {
        var a = e.target.closest && e.target.closest('a[data-i]');
        if (!a) return;
        L.DomEvent.preventDefault(e);
        M.openPopup(+a.getAttribute('data-i'), center);
      });
      L.popup({ maxWidth: 340, maxHeight: 280 }).setLatLng(center).setContent(div).openOn(map);
      M.spreadOpen = members.slice();
    }
    M.unspread = function () { group.clearLayers(); M.spreadOpen = null; };
    map.on('click zoomstart', M.unspread);
    M.onFilter('spread', function () { if (M.spreadOpen) M.unspread(); });
    /* A click on event i: its popup, or the events stacked at its point spread out. */
    M.clickEvent = function (i, marker) {
      if (marker && (marker._area || marker.getLatLng().lat !== D.lat[i] || marker.getLatLng().lng !== D.lon[i])) {
        M.openPopup(i, marker._area ? null : marker.getLatLng());
        return;
      }
      var members = stackOf(i).filter(function (j) { return M.visible[j] && D.p[j] !== 3; });
      if (members.indexOf(i) < 0) members.push(i);
      M.spread(members, L.latLng(D.lat[i], D.lon[i]));
    };
    G.spread = M.spread;
  }

  // --------------------------------------------------------------- search
  function searchIndex(M) {
    var D = M.D, Lb = D.labels || { name: [] }, out = [], seen = {};
    var KINDS = ['country', 'region', 'city', 'place with events'];
    Lb.name.forEach(function (name, k) {
      var key = G.fold(name) + '|' + Lb.k[k];
      if (seen[key]) return;
      seen[key] = 1;
      out.push({ name: name, folded: G.fold(name), lat: Lb.lat[k], lon: Lb.lon[k], kind: KINDS[Lb.k[k]],
                 rank: Lb.k[k] === 3 ? 0 : 1, n: Lb.n[k], zoom: [6, 8, 11, 11][Lb.k[k]] });
    });
    if (D.mentions) {
      D.mentions.text.forEach(function (name, m) {
        var key = G.fold(name) + '|m';
        if (seen[key]) return;
        seen[key] = 1;
        out.push({ name: name, folded: G.fold(name), lat: D.mentions.lat[m], lon: D.mentions.lon[m],
                   kind: 'mentioned', rank: 2, n: 0, zoom: 10 });
      });
    }
    return out;
  }

  function search(M, box) {
    var map = M.map, index = null;
    M.findPlaces = function (text, limit) {
      index = index || searchIndex(M);
      var q = G.fold(text);
      if (!q) return [];
      var hits = index.filter(function (e) { return e.folded.indexOf(q) >= 0; });
      hits.sort(function (a, b) {
        var sa = a.folded === q ? 0 : a.folded.indexOf(q) === 0 ? 1 : 2, sb = b.folded === q ? 0 : b.folded.indexOf(q) === 0 ? 1 : 2;
        return a.rank - b.rank || sa - sb || b.n - a.n;
      });
      return hits.slice(0, limit || 8);
    };
    M.goTo = function (hit) {
      map.setView([hit.lat, hit.lon], Math.max(hit.zoom, hit.kind === 'country' ? 0 : map.getZoom()));
      map.fire('geomap:found', { name: hit.name });
    };
    var div = L.DomUtil.create('div', 'gm-search', box);
    div.innerHTML = '<input type="search" placeholder="Find a place…" aria-label="Find a place" autocomplete="off">' +
      '<ul class="gm-hits" role="listbox"></ul>';
    var input = div.querySelector('input'), list = div.querySelector('ul'), hits = [];
    function show() {
      hits = M.findPlaces(input.value);
      list.innerHTML = hits.map(function (h, k) {
        return '<li role="option" data-k="' + k + '">' + esc(h.name) + ' <small>' + esc(h.kind) +
          (h.kind === 'place with events' ? ' (' + h.n + ')' : '') + '</small></li>';
      }).join('') || (input.value ? '<li class="gm-none">no place of that name on this map</li>' : '');
    }
    function pick(k) { if (hits[k]) { M.goTo(hits[k]); list.innerHTML = ''; input.blur(); } }
    input.addEventListener('input', show);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { show(); pick(0); }
      if (e.key === 'Escape') { input.value = ''; list.innerHTML = ''; }
    });
    list.addEventListener('mousedown', function (e) {
      var li = e.target.closest('li[data-k]');
      if (li) { e.preventDefault(); pick(+li.getAttribute('data-k')); }
    });
  }

  // --------------------------------------------------------------- export
  var COLUMNS = ['event_id', 'event_date', 'event_type', 'sub_event_type', 'actor1', 'actor2', 'country', 'admin1',
                 'location', 'latitude', 'longitude', 'geo_precision', 'deaths_low', 'deaths_best', 'deaths_high',
                 'civilians', 'children', 'source', 'source_url', 'quote'];
  function record(M, i) {
    var D = M.D, s = M.str, num = function (v) { return v < 0 ? null : v; };
    return [s('id', i), s('date', i) || null, D.types[D.t[i]].name, s('sub', i), s('a1', i), s('a2', i), s('country', i),
            s('adm', i), s('loc', i), D.lat[i], D.lon[i], num(D.p[i] || -1), num(D.lo[i]), num(D.d[i]), num(D.hi[i]),
            !!(D.f[i] & 1), !!(D.f[i] & 2), s('src', i), s('url', i), s('quote', i)];
  }
  /* A CSV cell; text starting with = + - @ tab or CR is prefixed with ' (OWASP). */
  function cell(v) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'string') return String(v);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v;
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function shownIndexes(M) {
    var out = [];
    for (var i = 0; i < M.N; i++) if (M.visible[i]) out.push(i);
    return out;
  }
  G.exportCsv = function (M) {
    var lines = [COLUMNS.join(',')];
    shownIndexes(M).forEach(function (i) { lines.push(record(M, i).map(cell).join(',')); });
    return lines.join('\r\n') + '\r\n';
  };
  G.exportGeoJson = function (M) {
    var features = shownIndexes(M).map(function (i) {
      var rec = record(M, i), props = {};
      COLUMNS.forEach(function (c, k) { if (c !== 'latitude' && c !== 'longitude') props[c] = rec[k]; });
      return { type: 'Feature', geometry: { type: 'Point', coordinates: [M.D.lon[i], M.D.lat[i]] }, properties: props };
    });
    return JSON.stringify({ type: 'FeatureCollection', features: features });
  };
  function download(name, href) {
    var a = document.createElement('a');
    a.href = href; a.download = name; a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { a.remove(); if (href.indexOf('blob:') === 0) URL.revokeObjectURL(href); }, 1000);
  }
  function saveText(name, text, type) { download(name, URL.createObjectURL(new Blob([text], { type: type }))); }
  G.exportPng = function (M) {
    var box = M.map.getContainer();
    if (!window.htmlToImage) return Promise.reject(new Error('html-to-image did not load'));
    return window.htmlToImage.toPng(box, {
      pixelRatio: 1, skipFonts: true, backgroundColor: '#cfdfea', cacheBust: false,
      filter: function (node) { return !(node.classList && node.classList.contains('gm-noprint')); },
    });
  };

  function exporter(M, box) {
    var div = L.DomUtil.create('div', 'gm-export', box);
    div.innerHTML = '<span class="gm-h">Export shown</span> <button type="button" data-x="csv">CSV</button>' +
      '<button type="button" data-x="geojson">GeoJSON</button><button type="button" data-x="png">PNG</button>';
    div.addEventListener('click', function (e) {
      var kind = e.target.getAttribute && e.target.getAttribute('data-x');
      if (kind === 'csv') saveText('geomap-events.csv', G.exportCsv(M), 'text/csv;charset=utf-8');
      else if (kind === 'geojson') saveText('geomap-events.geojson', G.exportGeoJson(M), 'application/geo+json');
      else if (kind === 'png') {
        e.target.disabled = true;
        G.exportPng(M).then(function (url) { download('geomap-view.png', url); })
          .catch(function (err) { window.alert('The PNG could not be made: ' + err.message); })
          .then(function () { e.target.disabled = false; });
      }
    });
  }
})();
