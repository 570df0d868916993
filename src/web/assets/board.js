// The board page: follows /m/<id>/events and renders the board's facts.
// Text goes in with textContent only, never as HTML. The countdown and the
// wall clock tick here from the server's instants: the server's clock is
// read off each heartbeat, so an idle page costs nothing but the heartbeat.
'use strict';
(function () {
  var HEARTBEAT_MS = 15000;
  // Two heartbeats missed: the connection is taken for lost even if the
  // browser has not noticed (a pulled cable), and made again.
  var SILENT_MS = 2 * HEARTBEAT_MS + 5000;

  var params = new URLSearchParams(window.location.search);
  var token = params.get('token');
  var id = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  var url = '/m/' + encodeURIComponent(id) + '/events' + (token ? '?token=' + encodeURIComponent(token) : '');

  var board = null;          // the last facts received
  var clock = null;          // the clock's facts, and the server instant they are for
  var clockAt = 0;
  var offsetMs = 0;          // server time minus this browser's
  var lastUpdateMs = null;   // server time of the last message
  var heardAt = Date.now();  // this browser's time of the last message
  var live = false;
  var trouble = null;        // why the server cannot follow the journal, in words
  var source = null;

  function $(name) { return document.getElementById(name); }
  function serverNow() { return Date.now() + offsetMs; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function local(ms, withSeconds) {
    var offset = clock ? clock.offset_secs : 0;
    var d = new Date(ms + offset * 1000);
    var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
    return withSeconds ? hm + ':' + pad(d.getUTCSeconds()) : hm;
  }

  // As gavel writes a countdown: 2:35, -0:12, 1:02:00.
  function countdown(secs) {
    var sign = secs < 0 ? '-' : '';
    var s = Math.abs(secs);
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
    return sign + (h > 0 ? h + ':' + pad(m) : m) + ':' + pad(r);
  }

  // 2h02m, 18m, under a minute.
  function span(ms) {
    var m = Math.round(Math.abs(ms) / 60000);
    if (m === 0) { return 'under a minute'; }
    var h = Math.floor(m / 60);
    return h > 0 ? h + 'h' + pad(m % 60) + 'm' : m + 'm';
  }

  function text(el, value) {
    if (el.textContent !== value) { el.textContent = value; }
  }

  function span_(cls, value) {
    var s = document.createElement('span');
    s.className = cls;
    s.textContent = value;
    return s;
  }

  function replace(el, children) {
    while (el.firstChild) { el.removeChild(el.firstChild); }
    children.forEach(function (c) { el.appendChild(c); });
  }

  // Seconds spoken since the facts were figured; none while paused.
  function since(floor) {
    if (floor.paused) { return 0; }
    return Math.max(0, Math.floor((serverNow() - board.at_ms) / 1000));
  }

  function renderFloor() {
    var f = board.floor;
    var el = $('board');
    if (!f) {
      text($('heading'), board.no_floor || '');
      text($('who'), '');
      text($('how'), '');
      text($('countdown'), '');
      $('countdown').hidden = true;
      replace($('standing'), []);
      el.dataset.timing = 'none';
      return;
    }
    var gone = since(f);
    var remaining = f.remaining - gone;
    var elapsed = f.elapsed + gone;
    var timing = remaining < 0 ? 'over' : remaining <= board.warn_before ? 'warning' : 'ok';
    text($('heading'), f.heading);
    text($('who'), [f.representative, f.title].filter(Boolean).join(' — '));
    var how = [];
    if (f.kind !== 'statement') { how.push(span_('kind', f.kind_label)); }
    if (f.language) { how.push(span_('lang', 'in ' + f.language)); }
    replace($('how'), how);
    $('countdown').hidden = false;
    text($('countdown'), countdown(remaining));
    var words = [];
    if (f.paused) { words.push(span_('word paused', f.held ? 'SUSPENDED' : 'PAUSED')); }
    if (timing === 'over') { words.push(span_('word over', 'OVER +' + countdown(-remaining))); }
    else if (timing === 'warning') { words.push(span_('word warning', 'WARNING')); }
    if (timing !== 'over') { words.push(span_('left', countdown(remaining) + ' left · ')); }
    words.push(span_('figures', countdown(elapsed) + ' of ' + countdown(f.limit) + ' spoken'));
    replace($('standing'), words);
    el.dataset.timing = f.paused ? 'paused' : timing;
  }

  function renderInterrupted() {
    replace($('interrupted'), board.interrupted.map(function (f) {
      var li = document.createElement('li');
      li.textContent = f.heading + ' interrupted at ' + countdown(f.elapsed) + ' (paused)';
      return li;
    }));
  }

  function renderNext() {
    var shown = board.next.length;
    text($('next-title'), board.listed === 0 ? 'Nobody else is listed'
      : 'Next (' + board.listed + ' listed' + (board.list_closed ? ', list closed' : '') + ')');
    replace($('next'), board.next.map(function (n) {
      var li = document.createElement('li');
      li.appendChild(span_('pos', String(n.position)));
      li.appendChild(span_('name', n.heading));
      if (n.representative) { li.appendChild(span_('rep', n.representative)); }
      var extra = [];
      if (n.kind !== 'statement') { extra.push(n.kind_label); }
      if (n.language) { extra.push('in ' + n.language); }
      if (n.passed) { extra.push('passed once'); }
      extra.push(countdown(n.limit));
      li.appendChild(span_('extra', extra.join(' · ')));
      return li;
    }));
    if (board.listed > shown) {
      var more = document.createElement('li');
      more.appendChild(span_('extra', 'and ' + (board.listed - shown) + ' more'));
      $('next').appendChild(more);
    }
  }

  function renderProjection() {
    if (!clock || !board) { return; }
    if (board.phase === 'adjourned') { text($('projection'), 'Adjourned'); return; }
    var end = clock.projected_end_ms + clock.drift * Math.max(0, serverNow() - clockAt);
    var against = end - clock.scheduled_end_ms;
    var parts = [span_('end', 'Projected end ' + local(end) + ' · scheduled ' + local(clock.scheduled_end_ms) + ' · ')];
    if (Math.abs(against) < 60000) { parts.push(span_('ontime', 'on time')); }
    else if (against > 0) { parts.push(span_('late', span(against) + ' over')); }
    else { parts.push(span_('early', span(against) + ' early')); }
    replace($('projection'), parts);
  }

  function renderStatic() {
    var segment = [span_('name', board.segment)];
    if (board.rehearsal) { segment.push(span_('tag', 'REHEARSAL')); }
    if (board.phase === 'scheduled') { segment.push(span_('tag', 'NOT OPEN YET')); }
    replace($('segment'), segment);
    text($('title'), board.meeting.title);
    text($('zone'), board.meeting.timezone);
    $('suspended').hidden = !board.suspended;
    text($('suspended'), board.suspended || '');
    renderInterrupted();
    renderNext();
  }

  // Live, or live but behind (the server cannot reach the journal), or lost.
  function renderLink() {
    var el = $('board');
    if (live && trouble) {
      el.dataset.link = 'behind';
      text($('link'), trouble);
    } else if (live) {
      el.dataset.link = 'live';
      text($('link'), 'live');
    } else {
      el.dataset.link = lastUpdateMs === null ? 'connecting' : 'lost';
      text($('link'), lastUpdateMs === null ? 'connecting…'
        : 'connection lost — last update ' + local(lastUpdateMs, true));
    }
  }

  function tick() {
    if (Date.now() - heardAt > SILENT_MS && source) {
      live = false;
      connect();
    }
    text($('wall'), clock ? local(serverNow(), true) : '--:--:--');
    if (board) {
      renderFloor();
      renderProjection();
    }
    renderLink();
  }

  function heard() {
    live = true;
    heardAt = Date.now();
    lastUpdateMs = serverNow();
  }

  function connect() {
    if (source) { source.close(); }
    heardAt = Date.now();
    source = new EventSource(url);
    source.addEventListener('open', function () { live = true; renderLink(); });
    source.addEventListener('error', function () {
      live = false;
      renderLink();
      // A refusal (a server restarting behind a proxy, a wrong token) ends
      // the browser's own retries: try again all the same.
      if (source.readyState === EventSource.CLOSED) { window.setTimeout(connect, 2000); }
    });
    source.addEventListener('beat', function (e) {
      var d = JSON.parse(e.data);
      offsetMs = d.now_ms - Date.now();
      clock = d.clock;
      clockAt = d.now_ms;
      heard();
      tick();
    });
    source.addEventListener('journal', function (e) {
      trouble = JSON.parse(e.data).trouble;
      heard();
      renderLink();
    });
    source.addEventListener('board', function (e) {
      board = JSON.parse(e.data);
      clock = board.clock;
      clockAt = board.at_ms;
      heard();
      renderStatic();
      tick();
    });
  }

  connect();
  window.setInterval(tick, 250);
}());
