// The index of a gongkai review site. Rows arrive from the data files that
// GK_CHUNKS lists (script tags: browsers refuse to fetch JSON over file://),
// then are filtered, sorted and paged in memory. The view lives in the URL hash
// (#status=malformed&code=ROW_SHORT&sort=errors&desc=1&page=2&size=100&q=…),
// so it is applied on load and can be bookmarked.
(function () {
  'use strict';
  // Fields of a row, in the order src/review/index.rs writes them.
  var F = { path: 0, page: 1, agency: 2, year: 3, template: 4, status: 5,
            errors: 6, warnings: 7, infos: 8, codes: 9 };
  var NUMERIC = { year: 1, errors: 1, warnings: 1, infos: 1 };
  var STATUS_ORDER = { malformed: 0, warning: 1, clean: 2 };
  var files = window.GK_CHUNKS || [];
  var chunks = files.length;
  var severity = window.GK_SEVERITY || {};
  var rows = [];
  var loaded = 0;

  window.GK = {
    rows: function (chunk) {
      for (var i = 0; i < chunk.length; i++) rows.push(chunk[i]);
      loaded++;
      // The first chunk shows at once; the view settles on the last.
      if (loaded === 1 || loaded === chunks || loaded % 20 === 0) render();
      else count();
    }
  };

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function state() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    var size = parseInt(p.get('size'), 10);
    var page = parseInt(p.get('page'), 10);
    return {
      status: p.get('status') || '',
      code: p.get('code') || '',
      q: p.get('q') || '',
      sort: F.hasOwnProperty(p.get('sort')) ? p.get('sort') : '',
      desc: p.get('desc') === '1',
      size: size > 0 ? size : 100,
      page: page > 0 ? page : 1
    };
  }

  function hash(s) {
    var p = new URLSearchParams();
    ['status', 'code', 'q', 'sort'].forEach(function (k) { if (s[k]) p.set(k, s[k]); });
    if (s.desc) p.set('desc', '1');
    if (s.size !== 100) p.set('size', String(s.size));
    if (s.page > 1) p.set('page', String(s.page));
    return '#' + p.toString();
  }

  function go(change) {
    var s = state();
    for (var k in change) s[k] = change[k];
    if (!('page' in change)) s.page = 1;
    location.hash = hash(s);
  }

  function matches(r, s, q) {
    if (s.status && r[F.status] !== s.status) return false;
    if (s.code && (' ' + r[F.codes] + ' ').indexOf(' ' + s.code + ' ') < 0) return false;
    if (q && String(r[F.path]).toLowerCase().indexOf(q) < 0 &&
        String(r[F.agency] || '').toLowerCase().indexOf(q) < 0) return false;
    return true;
  }

  function compare(field, desc) {
    var i = F[field];
    var sign = desc ? -1 : 1;
    return function (a, b) {
      var x = a[i], y = b[i];
      if (field === 'status') { x = STATUS_ORDER[x]; y = STATUS_ORDER[y]; }
      // Blank values last, whatever the direction.
      if (x == null || x === '') return (y == null || y === '') ? 0 : 1;
      if (y == null || y === '') return -1;
      if (NUMERIC[field] || field === 'status') return sign * (x - y);
      return x < y ? -sign : x > y ? sign : 0;
    };
  }

  function selected(s) {
    var q = s.q.toLowerCase();
    var out = rows.filter(function (r) { return matches(r, s, q); });
    if (s.sort) out.sort(compare(s.sort, s.desc));
    return out;
  }

  function row(r, s) {
    var codes = r[F.codes] ? r[F.codes].split(' ') : [];
    var chips = codes.map(function (c) {
      var h = hash({ status: s.status, code: c, q: s.q, sort: s.sort, desc: s.desc,
                     size: s.size, page: 1 });
      return '<a href="' + esc(h) + '" data-severity="' + esc(severity[c] || '') + '">' +
        esc(c) + '</a>';
    }).join('');
    return '<tr data-status="' + esc(r[F.status]) + '">' +
      '<td class="path"><a data-report="' + esc(r[F.path]) + '" href="' + esc(r[F.page]) + '">' +
      esc(r[F.path]) + '</a></td>' +
      '<td>' + esc(r[F.agency]) + '</td><td>' + esc(r[F.year]) + '</td>' +
      '<td>' + esc(r[F.template]) + '</td>' +
      '<td><span class="status s-' + esc(r[F.status]) + '">' + esc(r[F.status]) + '</span></td>' +
      '<td class="n">' + r[F.errors] + '</td><td class="n">' + r[F.warnings] + '</td>' +
      '<td class="n">' + r[F.infos] + '</td><td class="codes">' + chips + '</td></tr>';
  }

  var shown = 0;
  var matching = 0;

  function count() {
    var el = document.getElementById('count');
    var s = state();
    var first = matching ? (Math.min(s.page, pages(s)) - 1) * s.size + 1 : 0;
    el.textContent = 'Showing ' + (matching ? first + '–' + (first + shown - 1) : '0') +
      ' of ' + matching + ' matching reports (' + rows.length + ' in all)' +
      (loaded < chunks ? '; loading ' + loaded + ' of ' + chunks + ' data files…' : '');
    el.setAttribute('data-matching', String(matching));
    el.setAttribute('data-loaded', loaded < chunks ? 'no' : 'yes');
  }

  function pages(s) { return Math.max(1, Math.ceil(matching / s.size)); }

  function render() {
    var s = state();
    var list = selected(s);
    matching = list.length;
    var page = Math.min(s.page, pages(s));
    var slice = list.slice((page - 1) * s.size, page * s.size);
    shown = slice.length;
    document.querySelector('#reports tbody').innerHTML =
      slice.map(function (r) { return row(r, s); }).join('');
    var form = document.getElementById('controls');
    form.status.value = s.status;
    form.code.value = s.code;
    if (document.activeElement !== form.q) form.q.value = s.q;
    if (![].some.call(form.size.options, function (o) { return o.value === String(s.size); })) {
      form.size.add(new Option(String(s.size)));
    }
    form.size.value = String(s.size);
    [].forEach.call(document.querySelectorAll('#reports th[data-sort]'), function (th) {
      var k = th.getAttribute('data-sort');
      if (k === s.sort) th.setAttribute('aria-sort', s.desc ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    var n = pages(s);
    var nav = '';
    if (page > 1) nav += '<a href="' + esc(hash(Object.assign({}, s, { page: page - 1 }))) + '" rel="prev">← previous</a>';
    nav += '<span>page ' + page + ' of ' + n + '</span>';
    if (page < n) nav += '<a href="' + esc(hash(Object.assign({}, s, { page: page + 1 }))) + '" rel="next">next →</a>';
    document.getElementById('pager').innerHTML = nav;
    count();
  }

  var form = document.getElementById('controls');
  form.status.addEventListener('change', function () { go({ status: form.status.value }); });
  form.code.addEventListener('change', function () { go({ code: form.code.value }); });
  form.size.addEventListener('change', function () { go({ size: parseInt(form.size.value, 10) }); });
  form.q.addEventListener('input', function () { go({ q: form.q.value }); });
  [].forEach.call(document.querySelectorAll('#reports th[data-sort]'), function (th) {
    th.addEventListener('click', function () {
      var s = state();
      var k = th.getAttribute('data-sort');
      go({ sort: k, desc: s.sort === k ? !s.desc : NUMERIC[k] === 1 });
    });
  });
  window.addEventListener('hashchange', render);

  // Load every data file in order; they delay the page's load event, so a
  // page opened with a filter in its hash shows the final view when loaded.
  files.forEach(function (src) {
    var el = document.createElement('script');
    el.async = false;
    el.src = src;
    document.body.appendChild(el);
  });
  if (chunks === 0) render();
})();
