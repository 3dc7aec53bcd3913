package kata.websocket;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Another site on this machine (its own port, so its own origin): a page that a user might visit while
 * logged in to the chat, whose script opens a WebSocket to the chat's server and lists what it hears in
 * {@code #stolen} — cross-site WebSocket hijacking, if the chat server lets it.
 */
final class ForeignSite implements BeforeEachCallback, AfterEachCallback {
    private Undertow undertow;
    private int port;

    @Override
    public void beforeEach(ExtensionContext context) {
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    String target = exchange.getQueryParameters().get("target").getFirst();
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
                    exchange.getResponseSender().send(page(target));
                })
                .build();
        undertow.start();
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (undertow != null) {
            undertow.stop();
        }
    }

    /** The foreign page, opening a socket to {@code socketUrl}. */
    String pageAttacking(String socketUrl) {
        return "http://127.0.0.1:" + port + "/?target=" + java.net.URLEncoder.encode(socketUrl, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String page(String target) {
        if (!target.matches("ws://[\\w.:/?=&-]+")) {
            throw new IllegalArgumentException("not a ws URL: " + target);
        }
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Free kittens</title></head>
                <body data-socket="connecting">
                <ul id="stolen"></ul>
                <script>
                (function () {
                  var socket = new WebSocket('%s');
                  socket.onopen = function () { document.body.setAttribute('data-socket', 'open'); };
                  socket.onmessage = function (event) {
                    var item = document.createElement('li');
                    item.textContent = event.data;
                    document.getElementById('stolen').appendChild(item);
                  };
                  socket.onclose = function (event) {
                    document.body.setAttribute('data-socket', 'closed ' + event.code);
                  };
                })();
                </script>
                </body></html>
                """.formatted(target);
    }
}
