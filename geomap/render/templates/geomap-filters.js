/* Filters: one state, two passes.  M.base marks the events that pass every
 * filter except the dates (what the time chart counts); M.visible those that
 * pass the dates too (what every layer, the title and the counts show).
 * M.refilter('base' | 'date' | 'all') recomputes them and redraws everything
 * in one go, then fires 'geomap:filtered' on the map.
 */
(function () {
  'use strict';
  var G = window.geomap;

  G.makeFilters = function (M) {
    var D = M.D, N = M.N, A = M.actors;
    var state = {
      typeOn: D.types.map(function () { return true; }),
      lo: D.day0, hi: D.day1, undated: true,
      actors: [],            // actor ids; none chosen = every actor
      dmin: null, dmax: null, unknownDeaths: true,  // deaths (best estimate)
      prec: { 0: true, 1: true, 2: true, 3: true },
    };
    M.state = G.state = state;
    M.base = new Uint8Array(N);
    M.visible = new Uint8Array(N);
    M.shown = 0;
    var redraws = [];  // [name, function(change)]: what redraws one display
    M.onFilter = function (name, fn) { redraws.push([name, fn]); };

    function passBase(i, actorSet) {
      if (!state.typeOn[D.t[i]]) return false;
      if (!state.prec[D.p[i]] && !(D.p[i] > 3 && state.prec[3])) return false;
      var d = D.d[i];
      if (d < 0) { if (!state.unknownDeaths) return false; }
      else if ((state.dmin !== null && d < state.dmin) || (state.dmax !== null && d > state.dmax)) return false;
      if (actorSet && !actorSet[A.A1[i] + 1] && !actorSet[A.A2[i] + 1]) return false;
      return true;
    }
    function passDate(i) {
      var day = D.day[i];
      if (day < 0) return state.undated;
      return day >= state.lo && day <= state.hi;
    }
    M.passDate = passDate;
    M.filtered = function () {  // whether anything but the full date range is filtered out
      return state.actors.length > 0 || state.dmin !== null || state.dmax !== null || !state.unknownDeaths ||
        state.typeOn.indexOf(false) >= 0 || !(state.prec[1] && state.prec[2] && state.prec[3] && state.prec[0]);
    };

    /* Recompute and redraw; ``change`` is 'base' (a filter), 'date' (the dates) or 'all'. */
    var regions = D.admin ? D.admin.features.length : 0;
    /* What the displays show, counted in the same pass that finds the visible events. */
    function newStats() {
      return { n: 0, lo: 0, best: 0, hi: 0, open: false, first: Infinity, last: -Infinity,
               types: new Int32Array(D.types.length), regionEvents: new Int32Array(regions),
               regionDeaths: new Float64Array(regions) };
    }

    M.refilter = function (change) {
      var t0 = performance.now(), base = M.base, vis = M.visible, changed = 0;
      var lists = M.wantChanges && M.wantChanges(), add = [], remove = [], st = newStats();
      var dl = D.lo, dd = D.d, dh = D.hi, dday = D.day, dt = D.t, drg = D.rg;
      if (change !== 'date') {
        var actorSet = null;
        if (state.actors.length) {
          actorSet = new Uint8Array(A.names.length + 1);
          state.actors.forEach(function (a) { actorSet[a + 1] = 1; });
        }
        for (var i = 0; i < N; i++) base[i] = passBase(i, actorSet) ? 1 : 0;
      }
      var lo = state.lo, hi = state.hi, undated = state.undated;
      for (var j = 0; j < N; j++) {
        var day = dday[j], v = base[j] && (day < 0 ? undated : day >= lo && day <= hi) ? 1 : 0;
        if (v !== vis[j]) {
          changed++;
          vis[j] = v;
          if (lists) (v ? add : remove).push(j);
        }
        if (!v) continue;
        st.n++;
        var d = dd[j], l = dl[j] >= 0 ? dl[j] : d > 0 ? d : 0, b = d >= 0 ? d : l;
        st.lo += l; st.best += b;
        if (dh[j] >= 0) st.hi += dh[j] > b ? dh[j] : b; else st.open = true;
        if (day >= 0) { if (day < st.first) st.first = day; if (day > st.last) st.last = day; }
        st.types[dt[j]]++;
        var r = drg[j];
        if (r >= 0) { st.regionEvents[r]++; if (d > 0) st.regionDeaths[r] += d; }
      }
      M.stats = st;
      M.shown = G.shown = st.n;
      // add/remove list the events that appeared or went (only when a display asked for them)
      var diff = { change: change, changed: changed, lists: !!lists, add: add, remove: remove };
      var times = { filter: performance.now() - t0 };
      redraws.forEach(function (r) { var t = performance.now(); r[1](diff); times[r[0]] = performance.now() - t; });
      G.lastUpdateMs = performance.now() - t0;
      G.timings = times;
      M.map.fire('geomap:filtered', { shown: st.n, change: change });
    };
    G.refilter = function () { M.refilter('all'); };

    /* Totals of the events shown: count, deaths low/best/high (high -1 when any is open), dates. */
    M.totals = function () {
      var s = M.stats;
      return { n: s.n, lo: s.lo, best: s.best, hi: s.open ? -1 : s.hi, first: s.first, last: s.last };
    };

    // actors, most frequent first, for the search-as-you-type list
    M.actorOrder = A.names.map(function (_, k) { return k; }).sort(function (a, b) { return A.counts[b] - A.counts[a]; });
    M.findActors = function (text, limit) {
      var q = G.fold(text), out = [];
      for (var k = 0; k < M.actorOrder.length && out.length < (limit || 8); k++) {
        var a = M.actorOrder[k];
        if (state.actors.indexOf(a) < 0 && (!q || A.folded[a].indexOf(q) >= 0)) out.push(a);
      }
      return out;
    };
    M.setActors = function (ids) { state.actors = ids.slice(); M.refilter('base'); };
    M.setDeaths = function (min, max, unknown) {
      state.dmin = min; state.dmax = max; state.unknownDeaths = unknown; M.refilter('base');
    };
    M.setPrecision = function (p, on) { state.prec[p] = on; if (p === 3) state.prec[4] = on; M.refilter('base'); };
    M.setType = function (k, on) { state.typeOn[k] = on; M.refilter('base'); };
    M.setDates = function (lo, hi) {
      state.lo = Math.max(D.day0, Math.min(lo, D.day1));
      state.hi = Math.max(state.lo, Math.min(hi, D.day1));
      M.refilter('date');
    };
    M.setUndated = function (on) { state.undated = on; M.refilter('date'); };
    G.filters = { setActors: M.setActors, setDeaths: M.setDeaths, setPrecision: M.setPrecision,
                  setType: M.setType, setDates: M.setDates, findActors: M.findActors };
  };
})();
