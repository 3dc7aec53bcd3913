// The chat's client: receive by WebSocket, else by Server-Sent Events, else by long polling — one cursor
// for all three, so that a switch loses nothing and shows nothing twice. (README.md §4–§7)
(function () { // a scope of its own: top-level names like `status` would collide with window's
'use strict';
var params = new URLSearchParams(location.search);
var me = params.get('name') || 'Anonymous';
var patience = Number(params.get('patience')) || 3000; // ms a transport has to say hello (its first batch)
var pause = Number(params.get('pause')) || 1000;       // ms to wait when every transport failed, before trying again
var maxPause = Number(params.get('maxPause')) || 30000; // the longest that wait grows to, round after failed round

var since = 0;   // THE cursor: the id of the newest message shown, whichever transport brought it (§5)
var attempt = 0; // the current connection attempt; what older attempts report is ignored (§6)
var rounds = 0;  // rounds of the whole ladder that failed in a row; a hello sets it back to 0 (§6)

var list = document.getElementById('messages');
var statusLine = document.getElementById('status');
var transportLine = document.getElementById('transport');
document.getElementById('me').textContent = me;

function show(message) {
  var item = document.createElement('li');
  item.textContent = message.author + ': ' + message.text; // text, never HTML
  list.appendChild(item);
}

/** Every transport hands over batches (JSON arrays of messages); only what is newer than the cursor is shown. */
function receive(batch) {
  batch.forEach(function (message) {
    if (message.id > since) { show(message); since = message.id; }
  });
}

// ---- The three transports (§4). Each opens with the cursor, reports batches and failure, and returns its close().

function webSocket(cursor, on) {
  var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  var socket = new WebSocket(scheme + location.host + '/ws?since=' + cursor());
  socket.onmessage = function (event) { on.batch(JSON.parse(event.data)); };
  socket.onclose = function () { on.fail('the WebSocket closed'); }; // a refused upgrade, a cut, a server gone: all end here
  return function () { socket.onclose = null; socket.close(); };
}

function eventSource(cursor, on) {
  var source = new EventSource('/events?since=' + cursor());
  source.onmessage = function (event) { on.batch(JSON.parse(event.data)); };
  // Not the browser's own reconnection: it would resume from its Last-Event-ID, we resume from our cursor.
  source.onerror = function () { on.fail('the event stream failed'); };
  return function () { source.close(); };
}

function longPoll(cursor, on) {
  var stopped = false;
  var request = null;
  function poll(first) {
    request = new XMLHttpRequest();
    // The first poll is answered at once (wait=0): the hello. The next ones are held until there is news.
    request.open('GET', '/messages?since=' + cursor() + (first ? '&wait=0' : ''));
    request.onload = function () {
      if (stopped) { return; }
      if (request.status !== 200) { on.fail('GET /messages answered ' + request.status); return; }
      on.batch(JSON.parse(request.responseText));
      poll(false);
    };
    request.onerror = function () { if (!stopped) { on.fail('GET /messages failed'); } };
    request.send();
  }
  poll(true);
  return function () { stopped = true; if (request) { request.abort(); } };
}

var ladder = [
  { name: 'websocket', open: webSocket },
  { name: 'eventsource', open: eventSource },
  { name: 'longpoll', open: longPoll }
];

// ---- The ladder (§6): try a rung; the first batch is its hello; no hello in time, or a failure before it,
// and the next rung is tried. A rung that worked and then broke sends the page back to the top.

function connect(rung) {
  var mine = ++attempt;
  var transport = ladder[rung];
  var ready = false;
  var close = function () {};
  transportLine.textContent = transport.name + '…';
  var timer = setTimeout(function () { fail('no hello within ' + patience + ' ms'); }, patience);

  function fail(reason) {
    if (mine !== attempt) { return; } // an attempt already given up
    attempt++;
    clearTimeout(timer);
    close();
    if (ready) {
      statusLine.textContent = transport.name + ' lost (' + reason + '): connecting again';
      connect(0); // it worked: maybe the network changed, so the best transport gets its chance again
    } else if (rung + 1 < ladder.length) {
      connect(rung + 1);
    } else {
      // Everything failed: wait before the next round, longer after each failed round (up to maxPause), and
      // a random part of it, so that pages cut off together do not all come back at the same moment (§6).
      rounds++;
      var ceiling = Math.min(maxPause, pause * Math.pow(2, rounds - 1));
      var wait = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
      transportLine.textContent = 'offline';
      statusLine.textContent = 'Cannot reach the server (' + reason + '): trying again in ' + wait + ' ms (round ' + rounds + ')';
      setTimeout(function () { connect(0); }, wait);
    }
  }

  close = transport.open(function () { return since; }, {
    batch: function (messages) {
      if (mine !== attempt) { return; } // late news from an attempt given up: the replay brings it again
      if (!ready) {
        ready = true;
        rounds = 0;
        clearTimeout(timer);
        transportLine.textContent = transport.name;
        statusLine.textContent = '';
      }
      receive(messages);
    },
    fail: fail
  });
}

document.getElementById('compose').addEventListener('submit', function (event) {
  event.preventDefault();
  var input = document.getElementById('text');
  var text = input.value;
  if (!text.trim()) { return; }
  input.value = ''; // now, not when the answer comes: by then its person may be typing the next one
  // Sending is one POST whatever receives: every proxy passes it.
  fetch('/messages', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ author: me, text: text })
  }).then(function (response) {
    if (!response.ok) { return response.text().then(function (reason) { throw new Error(reason); }); }
  }).catch(function (error) {
    statusLine.textContent = 'Not sent: ' + error.message;
    if (!input.value) { input.value = text; } // give it back to send again, unless something new was typed
  });
});

connect(0);
})();
