// The workshop board: one row per participant, live. Receives by Server-Sent Events (chapter 03: the browser
// reconnects by itself and resumes with Last-Event-ID), else by long polling (chapter 07's ladder): one cursor,
// the id of the newest event shown, whichever transport brought it.
(function () { // a scope of its own: top-level names like `status` would collide with window's
'use strict';
var params = new URLSearchParams(location.search);
var patience = Number(params.get('patience')) || 3000; // ms a transport has to say hello
var pause = Number(params.get('pause')) || 1000;       // ms to wait when every transport failed

var cursor = '';  // THE cursor: the id of the newest event applied
var attempt = 0;  // the current connection attempt; what older attempts report is ignored
var rows = {};    // key → row, as the room sent it
var chapters = [];
var stuckAfterMinutes = 10;

var table = document.getElementById('rows');
var roomLine = document.getElementById('room');
var transportLine = document.getElementById('transport');
var troubleLine = document.getElementById('trouble');

// ---- What the events mean: the board is state, each event a whole row, or every row at once.

function hello(data) {
  chapters = data.chapters || [];
  stuckAfterMinutes = data.stuckAfterMinutes || stuckAfterMinutes;
  document.getElementById('stuck-rule').textContent = 'stuck: same red test ' + stuckAfterMinutes + ' min';
}

function apply(type, data, id) {
  if (type === 'snapshot') {
    rows = {};
    data.rows.forEach(function (row) { rows[row.key] = row; });
  } else if (type === 'row') {
    rows[data.key] = data;
  } else {
    return; // a kind of news this page does not know: a newer room
  }
  if (id) { cursor = id; }
  render();
}

// ---- Drawing: text only (names are typed by people), never HTML.

function cell(tr, className, text) {
  var td = document.createElement('td');
  td.className = className;
  td.textContent = text;
  tr.appendChild(td);
  return td;
}

function bars(row) {
  var td = document.createElement('td');
  td.className = 'bars';
  var names = chapters.length ? chapters : Object.keys(row.chapters).sort();
  names.forEach(function (name) {
    var standing = row.chapters[name];
    var bar = document.createElement('span');
    bar.className = 'bar';
    var fill = document.createElement('span');
    fill.className = 'fill';
    var label = document.createElement('span');
    label.className = 'label';
    label.textContent = name.substring(0, 2);
    if (standing) {
      fill.style.width = (standing.total ? Math.round(100 * standing.green / standing.total) : 0) + '%';
      if (standing.total && standing.green === standing.total) { bar.className += ' done'; }
      bar.title = name + ': ' + standing.green + '/' + standing.total;
    } else {
      fill.style.width = '0%';
      bar.title = name + ': not started';
    }
    if (name === row.chapter) { bar.className += ' current'; }
    bar.appendChild(fill);
    bar.appendChild(label);
    td.appendChild(bar);
  });
  return td;
}

function render() {
  var list = Object.keys(rows).map(function (key) { return rows[key]; });
  list.sort(function (a, b) {
    var byName = a.name.toLowerCase().localeCompare(b.name.toLowerCase());
    return byName !== 0 ? byName : a.key.localeCompare(b.key);
  });
  table.textContent = '';
  list.forEach(function (row) {
    var tr = document.createElement('tr');
    tr.className = 'participant' + (row.stuck ? ' stuck' : '');
    tr.setAttribute('data-key', row.key);
    cell(tr, 'name', row.name);
    tr.appendChild(bars(row));
    cell(tr, 'now', row.chapter + ' ' + row.green + '/' + row.total);
    var failing = cell(tr, 'failing', row.failing ? '' : 'all green');
    if (row.failing) {
      // Class and method on lines of their own when the column is narrow: a break after the dot, not mid-word.
      var dot = row.failing.lastIndexOf('.') + 1;
      failing.appendChild(document.createTextNode(row.failing.substring(0, dot)));
      failing.appendChild(document.createElement('wbr'));
      failing.appendChild(document.createTextNode(row.failing.substring(dot)));
    } else {
      failing.className += ' green';
    }
    cell(tr, 'hints', row.hints === 1 ? '1 hint' : row.hints + ' hints');
    cell(tr, 'state', row.stuck ? 'STUCK since ' + row.stuckSince : '');
    cell(tr, 'at', row.lastRun || '');
    table.appendChild(tr);
  });
  document.getElementById('count').textContent = list.length === 1 ? '1 pair' : list.length + ' pairs';
  document.getElementById('empty').style.display = list.length ? 'none' : '';
  roomLine.textContent = roomSays(list);
  roomLine.className = /is red|are red/.test(roomLine.textContent) ? 'red' : '';
}

/** The test the most participants are red on now: the moment for the leader to go to the board. */
function roomSays(list) {
  if (!list.length) { return 'Nobody has joined yet.'; }
  var counts = {};
  list.forEach(function (row) {
    if (row.failing) {
      var key = row.chapter + ' ' + row.failing;
      counts[key] = (counts[key] || 0) + 1;
    }
  });
  var best = null;
  Object.keys(counts).sort().forEach(function (key) {
    if (best === null || counts[key] > counts[best]) { best = key; }
  });
  if (best === null) { return 'Room: everyone is green.'; }
  var space = best.indexOf(' ');
  var n = counts[best];
  return 'Room: ' + n + ' of ' + list.length + (n === 1 ? ' is' : ' are') + ' red on '
      + best.substring(space + 1) + ' (' + best.substring(0, space) + ')';
}

// ---- The two transports. Each opens from the cursor, reports hello, events, trouble and failure; returns close().

function eventSource(on) {
  // The cursor in the URL is for a first connection after long polling; the browser's own reconnections send
  // Last-Event-ID, which the room prefers.
  var source = new EventSource('/board/events' + (cursor ? '?since=' + encodeURIComponent(cursor) : ''));
  source.addEventListener('hello', function (event) { on.hello(JSON.parse(event.data)); });
  ['snapshot', 'row'].forEach(function (type) {
    source.addEventListener(type, function (event) { on.event(type, JSON.parse(event.data), event.lastEventId); });
  });
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED) {
      on.fail('the event stream was refused');
    } else {
      on.trouble('the event stream broke: the browser reconnects by itself'); // chapter 03 §4
    }
  };
  return function () { source.close(); };
}

function longPoll(on) {
  var stopped = false;
  var request = null;
  function poll(first) {
    request = new XMLHttpRequest();
    // The first poll is answered at once (wait=0): the hello. The next ones are held until there is news.
    request.open('GET', '/board/poll?since=' + encodeURIComponent(cursor) + (first ? '&wait=0' : ''));
    request.onload = function () {
      if (stopped) { return; }
      if (request.status !== 200) { on.fail('GET /board/poll answered ' + request.status); return; }
      var answer = JSON.parse(request.responseText);
      on.hello(answer.hello);
      answer.events.forEach(function (event) { on.event(event.type, event.data, event.id); });
      poll(false);
    };
    request.onerror = function () { if (!stopped) { on.fail('GET /board/poll failed'); } };
    request.send();
  }
  poll(true);
  return function () { stopped = true; if (request) { request.abort(); } };
}

var ladder = [
  { name: 'eventsource', open: eventSource },
  { name: 'longpoll', open: longPoll }
];

// ---- The ladder (chapter 07): try a rung; its hello says it works; no hello in time, or a failure before it,
// and the next rung is tried. A rung that worked and then failed sends the page back to the top.

function connect(rung) {
  var mine = ++attempt;
  var transport = ladder[rung];
  var ready = false;
  var close = function () {};
  transportLine.textContent = transport.name + '…';
  var timer = setTimeout(function () { fail('no hello within ' + patience + ' ms'); }, patience);

  function fail(reason) {
    if (mine !== attempt) { return; }
    attempt++;
    clearTimeout(timer);
    close();
    if (ready) {
      troubleLine.textContent = transport.name + ' lost (' + reason + '): connecting again';
      connect(0);
    } else if (rung + 1 < ladder.length) {
      connect(rung + 1);
    } else {
      transportLine.textContent = 'offline';
      troubleLine.textContent = 'cannot reach the room (' + reason + '): trying again';
      setTimeout(function () { connect(0); }, pause);
    }
  }

  close = transport.open({
    hello: function (data) {
      if (mine !== attempt) { return; }
      if (!ready) {
        ready = true;
        clearTimeout(timer);
      }
      transportLine.textContent = 'live · ' + transport.name;
      troubleLine.textContent = '';
      document.getElementById('status').className = '';
      hello(data);
    },
    event: function (type, data, id) {
      if (mine !== attempt) { return; } // late news from an attempt given up: the replay brings it again
      apply(type, data, id);
    },
    trouble: function (what) {
      if (mine !== attempt) { return; }
      if (!ready) { fail(what); return; } // broke before its hello: the next rung
      transportLine.textContent = 'reconnecting · ' + transport.name;
      troubleLine.textContent = what;
      document.getElementById('status').className = 'trouble';
    },
    fail: fail
  });
}

connect(0);
})();
