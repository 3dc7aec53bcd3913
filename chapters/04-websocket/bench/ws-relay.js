// The peer RelayBenchmark compares the reference with: the chat's relay on Node's `ws`, written the way a
// Node programmer writes it: a message in, a frame to every open socket (ws queues what the socket cannot take
// yet, without a bound). Same protocol as the Java server (see Frames.java): {"type":"message","text":…} in,
// {"type":"message","id":N,"author":…,"text":…} out to every socket, the sender's too.
//
//   node ws-relay.js          prints "listening <port>" on a free port, then relays until stdin closes
'use strict';
const { WebSocketServer } = require('ws');

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 8 * 1024 });
let lastId = 0;

server.on('connection', (socket, request) => {
  const name = new URL(request.url, 'http://relay').searchParams.get('name') || 'anonymous';
  socket.on('message', (data, isBinary) => {
    if (isBinary) return socket.close(1003, 'binary frames are not spoken here');
    let frame;
    try { frame = JSON.parse(data); } catch (e) { return socket.close(1007, 'not JSON'); }
    if (frame.type !== 'message' || typeof frame.text !== 'string') return;
    const out = JSON.stringify({ type: 'message', id: ++lastId, author: name, text: frame.text });
    for (const client of server.clients) {
      if (client.readyState === 1) client.send(out);
    }
  });
});

server.on('listening', () => console.log('listening ' + server.address().port));
process.stdin.on('end', () => process.exit(0)); // the benchmark closes our stdin when it is done
process.stdin.resume();
