package kata.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A network link between a browser and the server that a test can cut: a TCP relay on a port of its own
 * that forwards every connection to the server's port. {@link #cut()} ends every connection abruptly (no
 * close frame: a Wi-Fi that dropped) and refuses new ones until {@link #restore()}.
 */
final class Link implements AfterEachCallback {
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile int target;
    private volatile boolean down;

    Link() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "link-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** How a browser writes the origin of a page loaded through the link. */
    String origin() {
        return "http://localhost:" + listener.getLocalPort();
    }

    String url(String pathAndQuery) {
        return origin() + pathAndQuery;
    }

    /** Where the link leads; returns the port, so it fits in a {@code Served} starter. */
    int leadTo(int port) {
        this.target = port;
        return port;
    }

    void cut() {
        down = true;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    void restore() {
        down = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket browser = listener.accept();
                if (down || target == 0) {
                    closeQuietly(browser);
                    continue;
                }
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
                open.add(browser);
                open.add(server);
                pump(browser, server);
                pump(server, browser);
            } catch (IOException e) {
                // the listener closed, or one connection failed: the next accept decides
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut, or closed by either end
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "link-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        cut();
        closeQuietly(listener);
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
