/* Panels: layers (event types and displays), filters (actor, deaths,
 * precision), the legend and the title.  Each panel folds under its header;
 * all start folded on small screens.
 */
(function () {
  'use strict';
  var G = window.geomap, esc = G.esc;

  /* A folding panel control; ``body(div)`` fills it; ``folded`` starts it folded. */
  function panel(M, position, cls, title, body, folded) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'gm-box gm-panel ' + cls);
      div.innerHTML = '<button type="button" class="gm-panel-h" aria-expanded="true">' + esc(title) +
        '<span class="gm-caret" aria-hidden="true"></span></button><div class="gm-panel-b"></div>';
      var head = div.firstChild;
      head.addEventListener('click', function () {
        var folded = div.classList.toggle('gm-folded');
        head.setAttribute('aria-expanded', String(!folded));
        if (!folded) makeRoom(M, div);
      });
      if (M.small || folded) { div.classList.add('gm-folded'); head.setAttribute('aria-expanded', 'false'); }
      body(div.querySelector('.gm-panel-b'));
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(M.map);
    return control;
  }
  G.panel = panel;

  /* An opened panel folds the other panels on its side of the map that it would cover. */
  function makeRoom(M, opened) {
    var r = opened.getBoundingClientRect();
    M.map.getContainer().querySelectorAll('.leaflet-right .gm-panel:not(.gm-folded)').forEach(function (other) {
      if (other === opened) return;
      var o = other.getBoundingClientRect();
      if (o.top < r.bottom + 6 && o.bottom > r.top - 6) {
        other.classList.add('gm-folded');
        other.firstChild.setAttribute('aria-expanded', 'false');
      }
    });
  }

  function checkbox(label, checked, onChange, cls) {
    var el = document.createElement('label');
    el.className = 'gm-check' + (cls ? ' ' + cls : '');
    el.innerHTML = '<input type="checkbox"' + (checked ? ' checked' : '') + '> ' + label;
    el.firstChild.addEventListener('change', function () { onChange(el.firstChild.checked); });
    return el;
  }

  G.makeControls = function (M) {
    layersPanel(M);
    filtersPanel(M);
    legendPanel(M);
    titleUpdates(M);
    // the legend folds when it would run into the panels above it
    M.map.getContainer().querySelectorAll('.leaflet-top.leaflet-right .gm-panel:not(.gm-folded)').forEach(function (el) {
      makeRoom(M, el);
    });
  };

  // ---------------------------------------------------------------- layers
  function layersPanel(M) {
    var map = M.map, D = M.D, L_ = M.layers, cfg = M.cfg;
    panel(M, 'topright', 'gm-layers', 'Layers', function (b) {
      var types = document.createElement('div');
      types.innerHTML = '<div class="gm-h">Event types</div>';
      D.types.forEach(function (t, k) {
        var el = checkbox(G.swatch(t) + ' ' + esc(t.name) + ' <span class="gm-n" data-k="' + k + '"></span>', true,
                          function (on) { M.setType(k, on); }, 'gm-type');
        el.setAttribute('data-type', t.name);
        types.appendChild(el);
      });
      b.appendChild(types);
      var shows = document.createElement('div');
      shows.innerHTML = '<div class="gm-h">Show</div>';
      function toggle(layer, label, on) {
        if (!layer) return;
        if (on) layer.addTo(map);
        shows.appendChild(checkbox(label, on, function (v) { if (v) layer.addTo(map); else map.removeLayer(layer); }, 'gm-layer'));
      }
      toggle(L_.points, 'Events as points', !cfg.clustersOn);
      toggle(L_.clusters, 'Clusters', !!cfg.clustersOn);
      toggle(L_.heat, 'Heat (weighted by deaths)', false);
      toggle(L_.admin, 'Admin-1: deaths shown (choropleth)', true);
      toggle(L_.labels, 'Place names', true);
      if (L_.mentions) toggle(L_.mentions, 'Places only mentioned (' + D.mentions.lat.length + ')', false);
      b.appendChild(shows);
      if (cfg.tiles) {
        var base = document.createElement('div'), outline = L.layerGroup();
        base.innerHTML = '<div class="gm-h">Basemap</div><label class="gm-check"><input type="radio" name="gm-base" checked> OpenStreetMap</label>' +
          '<label class="gm-check"><input type="radio" name="gm-base"> Offline outlines only</label>';
        var radios = base.querySelectorAll('input');
        radios[0].addEventListener('change', function () { map.removeLayer(outline); cfg.tiles.addTo(map); });
        radios[1].addEventListener('change', function () { map.removeLayer(cfg.tiles); outline.addTo(map); });
        b.appendChild(base);
      }
    });
    M.onFilter('type counts', function () {  // live counts: shown of each type
      var shown = M.stats.types;
      document.querySelectorAll('.gm-layers .gm-n').forEach(function (el) {
        var k = +el.getAttribute('data-k');
        el.textContent = shown[k] === D.types[k].count ? '(' + shown[k] + ')' : '(' + shown[k] + ' of ' + D.types[k].count + ')';
      });
    });
  }

  // --------------------------------------------------------------- filters
  function filtersPanel(M) {
    var D = M.D, A = M.actors;
    if (!M.N) return;
    panel(M, 'topright', 'gm-filters', 'Filters', function (b) {
      b.innerHTML = '<div class="gm-h">Actor</div><div class="gm-chips"></div>' +
        '<input type="search" class="gm-actor" placeholder="Type an actor…" aria-label="Actor" autocomplete="off">' +
        '<ul class="gm-hits gm-actor-hits"></ul>' +
        '<div class="gm-h">Deaths (best estimate)</div><div class="gm-deaths">' +
        '<input type="number" class="gm-dmin" min="0" placeholder="min" aria-label="minimum deaths"> – ' +
        '<input type="number" class="gm-dmax" min="0" placeholder="max" aria-label="maximum deaths"></div>' +
        '<label class="gm-check"><input type="checkbox" class="gm-dunknown" checked> toll unknown</label>' +
        '<div class="gm-h">Location precision</div><div class="gm-prec"></div>' +
        '<button type="button" class="gm-reset">Clear filters</button>';
      var input = b.querySelector('.gm-actor'), hits = b.querySelector('.gm-actor-hits'), chips = b.querySelector('.gm-chips');
      function drawChips() {
        chips.innerHTML = M.state.actors.map(function (a) {
          return '<span class="gm-chip">' + esc(A.names[a]) + ' <button type="button" data-a="' + a + '" aria-label="remove">×</button></span>';
        }).join('');
      }
      function suggest() {
        var found = M.findActors(input.value, 8);
        hits.innerHTML = found.map(function (a) {
          return '<li data-a="' + a + '">' + esc(A.names[a]) + ' <small>' + A.counts[a] + '</small></li>';
        }).join('') || (input.value ? '<li class="gm-none">no actor matches</li>' : '');
      }
      function add(a) {
        if (a === undefined || a < 0) return;
        input.value = ''; hits.innerHTML = '';
        M.setActors(M.state.actors.concat([a]));
        drawChips();
      }
      input.addEventListener('input', suggest);
      input.addEventListener('focus', suggest);
      input.addEventListener('blur', function () { setTimeout(function () { hits.innerHTML = ''; }, 150); });
      input.addEventListener('keydown', function (e) { if (e.key === 'Enter') add(M.findActors(input.value, 1)[0]); });
      hits.addEventListener('mousedown', function (e) {
        var li = e.target.closest('li[data-a]');
        if (li) { e.preventDefault(); add(+li.getAttribute('data-a')); }
      });
      chips.addEventListener('click', function (e) {
        var a = e.target.getAttribute('data-a');
        if (a === null) return;
        M.setActors(M.state.actors.filter(function (x) { return x !== +a; }));
        drawChips();
      });
      var dmin = b.querySelector('.gm-dmin'), dmax = b.querySelector('.gm-dmax'), unk = b.querySelector('.gm-dunknown');
      function deaths() {
        var lo = dmin.value === '' ? null : Math.max(0, +dmin.value), hi = dmax.value === '' ? null : Math.max(0, +dmax.value);
        M.setDeaths(lo, hi, unk.checked);
      }
      [dmin, dmax].forEach(function (el) { el.addEventListener('input', deaths); });
      unk.addEventListener('change', deaths);
      var prec = b.querySelector('.gm-prec');
      [[1, '1 town'], [2, '2 near'], [3, '3 region'], [0, 'unknown']].forEach(function (p) {
        prec.appendChild(checkbox(esc(p[1]), true, function (on) { M.setPrecision(p[0], on); }));
      });
      b.querySelector('.gm-reset').addEventListener('click', function () {
        dmin.value = ''; dmax.value = ''; unk.checked = true;
        prec.querySelectorAll('input').forEach(function (el) { el.checked = true; });
        M.state.prec = { 0: true, 1: true, 2: true, 3: true, 4: true };
        M.state.actors = [];
        drawChips();
        M.setDeaths(null, null, true);
      });
    }, true);
  }

  // ---------------------------------------------------------------- legend
  function legendPanel(M) {
    var D = M.D;
    // on a small screen the folded legend waits under the other panels, clear of the chart
    panel(M, M.small ? 'topright' : 'bottomright', 'gm-legend', 'Legend', function (b) {
      var h = [];  // the event types and their symbols are in the layers panel
      h.push('<div class="gm-h">Deaths (best estimate)</div><div class="gm-sizes">');
      [1, 10, 100].forEach(function (n) {
        var r = G.radiusFor(n);
        h.push('<span><svg width="' + (2 * r + 2) + '" height="' + (2 * r + 2) + '"><circle cx="' + (r + 1) + '" cy="' + (r + 1) + '" r="' + r + '" fill="#999" stroke="#222"/></svg> ' + n + '</span>');
      });
      h.push('</div><div><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#fff" stroke="#555" stroke-width="2.5"/></svg> unknown &nbsp; ' +
        '<svg width="11" height="11"><circle cx="5.5" cy="5.5" r="4.5" fill="#999" stroke="#222"/></svg> none reported</div>');
      h.push('<div class="gm-h">Location precision</div>' +
        '<div><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#999" stroke="#222"/></svg> 1 the town itself</div>' +
        '<div><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#999" fill-opacity=".45" stroke="#222" stroke-dasharray="3 3"/></svg> 2 near a town / part of a region</div>' +
        '<div><svg width="14" height="14"><circle cx="7" cy="7" r="6" fill="#999" fill-opacity=".15" stroke="#777" stroke-dasharray="3 2"/></svg> 3 somewhere in the region (area)</div>');
      if (M.admin) h.push(choroplethScale(M.admin.scale));
      if (D.notes && D.notes.length) h.push('<div class="gm-note">' + D.notes.map(esc).join('<br>') + '</div>');
      b.innerHTML = h.join('');
    });
  }

  function choroplethScale(scale) {
    var b = scale.breaks, pal = scale.palette, first = pal.length - b.length - 1, rows = [];
    var lows = [1].concat(b);
    lows.forEach(function (lo, k) {
      var hi = k < b.length ? b[k] - 1 : scale.max, text = hi > lo ? lo + '–' + hi : String(lo);
      rows.push('<span class="gm-class"><i style="background:' + pal[first + k] + '"></i>' + text + '</span>');
    });
    return '<div class="gm-h">Admin-1 deaths shown (best)</div><div class="gm-scale">' +
      '<span class="gm-class"><i style="background:#bdbdbd;opacity:.6"></i>0</span>' + rows.join('') + '</div>';
  }
  G.choroplethScale = choroplethScale;

  // ----------------------------------------------------------------- title
  function titleUpdates(M) {
    var el = document.querySelector('.gm-title'), main = el && el.querySelector('.gm-title-text');
    var sub = el && el.querySelector('.gm-title-sub');
    M.onFilter('title', function () {
      var t = M.totals(), span = '';
      if (t.first <= t.last) span = G.isoDay(t.first) + (t.last > t.first ? ' to ' + G.isoDay(t.last) : '');
      var count = G.plural(t.n, 'event') + (span ? ', ' + span : '');
      var dead = 'deaths ' + G.fmtDeaths(t.lo, t.best, t.hi) + (M.filtered() ? ' · filtered' : '');
      if (!el) return;
      if (M.cfg.autoTitle) { main.textContent = count; sub.textContent = t.n ? dead : ''; }
      else sub.textContent = count + (t.n ? ' · ' + dead : '');
    });
  }
})();
