// The chat's client: receive by WebSocket, else by Server-Sent Events, else by long polling — one cursor
// for all three, so that a switch loses nothing and shows nothing twice. (README.md §4–§7)
// Yours to write: this stub knows WebSocket only. The tests: mvn test -pl chapters/07-capstone
(function () { // a scope of its own: top-level names like `status` would collide with window's
'use strict';
var params = new URLSearchParams(location.search);
var me = params.get('name') || 'Anonymous';
var patience = Number(params.get('patience')) || 3000; // ms a transport has to say hello (its first batch)
var pause = Number(params.get('pause')) || 1000;       // ms to wait when every transport failed, before trying again
var maxPause = Number(params.get('maxPause')) || 30000; // the longest that wait grows to, round after failed round

var since = 0;   // TODO §5: THE cursor — the id of the newest message shown, whichever transport brought it

var list = document.getElementById('messages');
var statusLine = document.getElementById('status');
var transportLine = document.getElementById('transport');
document.getElementById('me').textContent = me;

function show(message) {
  var item = document.createElement('li');
  item.textContent = message.author + ': ' + message.text; // text, never HTML
  list.appendChild(item);
}

/** Every transport hands over batches (JSON arrays of messages). */
function receive(batch) {
  // TODO §5: show only what is newer than the cursor, and move the cursor
  batch.forEach(show);
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
  // TODO §4: GET /events?since=N as an EventSource; every event's data is a batch. Report failure, return close().
  throw new Error('eventSource() is not written yet: see README.md §4');
}

function longPoll(cursor, on) {
  // TODO §4: GET /messages?since=N, again and again; the first with &wait=0 so that it says hello at once.
  throw new Error('longPoll() is not written yet: see README.md §4');
}

// ---- The ladder (§6). This stub only ever tries the WebSocket.

function connect() {
  transportLine.textContent = 'websocket…';
  webSocket(function () { return since; }, {
    batch: function (messages) {
      transportLine.textContent = 'websocket';
      receive(messages);
    },
    fail: function (reason) {
      transportLine.textContent = 'nothing';
      // TODO §6: no hello in time, or a failure before it: try the next rung (eventSource, then longPoll).
      //  A rung that worked and then broke: back to the top. Everything failed: wait, then again — `pause` ms
      //  after the first failed round, longer after each (up to `maxPause`), with jitter (§8).
      throw new Error('The WebSocket failed (' + reason + ') and the page does not fall back yet: '
          + 'the ladder is yours to write, see README.md §6');
    }
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

connect();
})();
