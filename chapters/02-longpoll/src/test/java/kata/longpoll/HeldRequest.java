package kata.longpoll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One long poll sent over a socket of its own and not read yet: the test decides when to read its
 * answer, or to hang up without reading it. No thread is spent per request, so a test can hold hundreds.
 */
final class HeldRequest implements AutoCloseable {
    private final Socket socket;
    private final String target;

    private HeldRequest(Socket socket, String target) {
        this.socket = socket;
        this.target = target;
    }

    /** Sends {@code GET target} to 127.0.0.1:port and returns without reading the answer. */
    static HeldRequest send(int port, String target) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new HeldRequest(socket, target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send GET " + target, e);
        }
    }

    /**
     * Sends {@code GET target} on a connection kept open after the answer (HTTP/1.1's default), so that a next
     * request can follow on the same connection ({@link #sendNext}).
     */
    static HeldRequest sendKeepingAlive(int port, String target) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new HeldRequest(socket, target);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send GET " + target, e);
        }
    }

    /**
     * Sends {@code GET target} on this same connection before the first has been answered (HTTP pipelining),
     * asking the server to close the connection after answering it.
     */
    void sendNext(String target) {
        try {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not send GET " + target, e);
        }
    }

    /** Everything the server sends until it closes the connection, as text; fails after {@code deadline}. */
    String readUntilClosed(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                long left = Duration.ofNanos(end - System.nanoTime()).toMillis();
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) left);
                int n = in.read(buffer);
                if (n < 0) {
                    return bytes.toString(StandardCharsets.UTF_8);
                }
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("The connection of GET " + target + " was still open after " + deadline.toMillis()
                    + " ms, with " + (bytes.size() == 0 ? "nothing received" : "only this received:\n" + bytes.toString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return bytes.toString(StandardCharsets.UTF_8); // reset after what was sent: closed too
        }
    }

    /** What the server has sent so far, read without waiting for more (for an answer on a kept-alive connection). */
    String receivedSoFar() {
        try {
            InputStream in = socket.getInputStream();
            byte[] bytes = new byte[Math.max(0, in.available())];
            int n = in.read(bytes, 0, bytes.length);
            return new String(bytes, 0, Math.max(0, n), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(the connection failed: " + e.getMessage() + ")";
        }
    }

    String target() {
        return target;
    }

    /** True when the server has begun to answer (or closed the connection): the request is not held. */
    boolean answered() {
        try {
            return socket.getInputStream().available() > 0 || socket.isInputShutdown();
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Reads the whole answer (the server closes the connection after it), waiting up to {@code deadline}.
     *
     * @throws AssertionError when no complete answer came within the deadline
     */
    Answer read(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                long left = Duration.ofNanos(end - System.nanoTime()).toMillis();
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) left);
                int n = in.read(buffer);
                if (n < 0) {
                    return Answer.parse(target, bytes.toString(StandardCharsets.UTF_8));
                }
                bytes.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("GET " + target + " was not answered within " + deadline.toMillis() + " ms"
                    + (bytes.size() == 0 ? "" : " (got only: " + bytes.toString(StandardCharsets.UTF_8) + ")"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the answer to GET " + target, e);
        }
    }

    /**
     * Closes this client's sending side (the server reads end of stream, as when a tab is closed) but keeps
     * listening, to see what the server does with its end.
     */
    void hangUp() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server closes its end of the connection within {@code deadline}, whatever it sent before. */
    boolean closedByServerWithin(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                long left = Duration.ofNanos(end - System.nanoTime()).toMillis();
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server: closed too
        }
    }

    /** Hangs up, as a closed tab or a dropped network does. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer as read off the socket: status, head and body. */
    record Answer(String target, int status, String head, String body) {
        static Answer parse(String target, String raw) {
            int split = raw.indexOf("\r\n\r\n");
            if (split < 0) {
                throw new AssertionError("GET " + target + " got a broken answer: " + raw);
            }
            String head = raw.substring(0, split);
            String body = raw.substring(split + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(target, status, head, body);
        }

        private static String unchunk(String chunked) {
            StringBuilder body = new StringBuilder();
            int at = 0;
            while (true) {
                int lineEnd = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
                if (size == 0) {
                    return body.toString();
                }
                body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
        }

        /** A header's value, its name compared without regard to case; "(absent)" when there is none. */
        String header(String name) {
            return head.lines().skip(1)
                    .filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(line -> line.substring(name.length() + 1).strip())
                    .findFirst().orElse("(absent)");
        }

        /** The exchange as a reviewer reads it, like {@link kata.harness.Http.Response#transcript}. */
        String transcript(String... headerNames) {
            StringBuilder text = new StringBuilder("> GET " + target + "\n< " + status + "\n");
            for (String name : headerNames) {
                text.append("< ").append(name).append(": ").append(header(name)).append('\n');
            }
            return text.append('\n').append(body).toString();
        }

        String describe() {
            return "GET " + target + " answered " + status + (body.isBlank() ? "" : ": " + body.strip());
        }
    }
}
