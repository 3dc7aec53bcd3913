package kata.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import kata.harness.Eventually;

/**
 * A WebSocket client written on a plain {@link Socket}, byte by byte as RFC 6455 says: it sends what a
 * browser would never send (any {@code Origin}, binary frames, oversized or malformed messages), ignores
 * pings when told to, and shows the exact bytes of the handshake. Every read has a deadline.
 */
final class RawSocket implements AutoCloseable {
    /** The sample key of RFC 6455 §1.3, whose accept value the RFC gives: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=. */
    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    private static final int READ_DEADLINE_MS = 5000;

    /** One frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        String describe() {
            return switch (opcode) {
                case TEXT -> "text " + text();
                case CLOSE -> "close " + closeCode() + " " + closeReason();
                case PING -> "ping";
                case PONG -> "pong";
                default -> "opcode " + opcode + ", " + payload.length + " bytes";
            };
        }
    }

    /** The server's answer to an opening handshake, as it came over the wire. */
    record Handshake(String request, int status, String statusLine, Map<String, String> headers, String body,
                     RawSocket socket) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "(absent)");
        }

        String describe() {
            return statusLine + (body.isBlank() ? "" : ": " + body.strip());
        }
    }

    /** How the socket ended, and the texts that came before the end. */
    record Ending(int code, String reason, List<String> texts, int pings) {
        String describe() {
            return "close " + code + (reason.isEmpty() ? "" : " \"" + reason + "\"") + " after " + texts.size()
                    + " text frames";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Sends an opening handshake for {@code pathAndQuery} with these extra headers (for example
     * {@code Origin}) and reads the answer's head and, if it is not a 101, its body.
     */
    static Handshake handshake(int port, String pathAndQuery, Map<String, String> extraHeaders) {
        return handshake(port, pathAndQuery, extraHeaders, 0);
    }

    /** As above, with a small receive buffer when {@code receiveBuffer} > 0: a client that reads slowly. */
    static Handshake handshake(int port, String pathAndQuery, Map<String, String> extraHeaders, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), READ_DEADLINE_MS);
            socket.setSoTimeout(READ_DEADLINE_MS);
            socket.setTcpNoDelay(true);
            RawSocket raw = new RawSocket(socket);
            StringBuilder request = new StringBuilder()
                    .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(extraHeaders.getOrDefault("Host", "localhost:" + port)).append("\r\n")
                    .append("Upgrade: websocket\r\n")
                    .append("Connection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(SAMPLE_KEY).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            extraHeaders.forEach((name, value) -> {
                if (!name.equals("Host")) {
                    request.append(name).append(": ").append(value).append("\r\n");
                }
            });
            request.append("\r\n");
            raw.out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            raw.out.flush();
            return raw.readAnswer(request.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("the handshake to port " + port + " failed: " + e.getMessage(), e);
        }
    }

    /** A socket that must open: fails with the server's answer otherwise. */
    static RawSocket open(int port, String pathAndQuery, String origin) {
        return open(port, pathAndQuery, origin, 0);
    }

    static RawSocket open(int port, String pathAndQuery, String origin, int receiveBuffer) {
        Handshake answer = handshake(port, pathAndQuery, origin == null ? Map.of() : Map.of("Origin", origin), receiveBuffer);
        if (answer.status() != 101) {
            answer.socket().close();
            throw new AssertionError("GET " + pathAndQuery + " with Origin " + origin
                    + " should open a WebSocket (101 Switching Protocols) — but the server answered "
                    + answer.describe());
        }
        return answer.socket();
    }

    private Handshake readAnswer(String request) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = read();
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String body = "";
        if (status != 101 && headers.containsKey("content-length")) {
            byte[] bytes = new byte[Integer.parseInt(headers.get("content-length"))];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) read();
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        return new Handshake(request, status, lines[0], headers, body, this);
    }

    /** What a correct server answers in Sec-WebSocket-Accept: base64(SHA-1(key + the RFC's GUID)). */
    static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void sendText(String text) {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One frame, FIN set, masked as every client frame must be. */
    void send(int opcode, byte[] payload) {
        sendStart(opcode, payload.length, payload);
    }

    /**
     * The start of a frame whose header announces {@code length} bytes of payload, of which only
     * {@code firstPart} is sent: a client in the middle of sending a big message.
     */
    synchronized void sendStart(int opcode, long length, byte[] firstPart) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(firstPart.length + 14);
        frame.write(0x80 | opcode);
        if (length < 126) {
            frame.write(0x80 | (int) length);
        } else if (length < 65536) {
            frame.write(0x80 | 126);
            frame.write((int) (length >>> 8));
            frame.write((int) (length & 0xFF));
        } else {
            frame.write(0x80 | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(length).array());
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < firstPart.length; i++) {
            frame.write(firstPart[i] ^ mask[i % 4]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("sending a frame failed: " + e.getMessage(), e);
        }
    }

    void sendClose(int code) {
        send(CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    /** The next frame from the server, pings included. */
    Frame readFrame() {
        try {
            int first = read();
            int second = read();
            long length = second & 0x7F;
            if (length == 126) {
                length = (read() << 8) | read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | read();
                }
            }
            if ((second & 0x80) != 0) {
                throw new AssertionError("the server masked a frame: RFC 6455 §5.1 says a server must not");
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length != length) {
                throw new EOFException();
            }
            return new Frame(first & 0x0F, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame, pings included; fails when the connection ends or nothing comes within the read deadline. */
    Frame nextFrame() {
        Frame frame = nextOrEnd();
        if (frame == null) {
            throw new AssertionError("the server ended the connection where a frame was expected");
        }
        return frame;
    }

    /** The next text frame, skipping pings (answered with a pong) and pongs. */
    String readText() {
        while (true) {
            Frame frame = nextOrEnd();
            if (frame == null) {
                throw new AssertionError("the server closed the connection where a text frame was expected");
            }
            switch (frame.opcode()) {
                case TEXT -> {
                    return frame.text();
                }
                case PING -> send(PONG, frame.payload());
                case PONG -> { }
                default -> throw new AssertionError("expected a text frame, got " + frame.describe());
            }
        }
    }

    /**
     * Reads until the server's close frame or the end of the connection, collecting texts and counting pings
     * (answered when {@code answerPings}). An end without a close frame is reported as code 1006.
     */
    Ending readUntilClose(boolean answerPings) {
        return readUntilClose(answerPings, new AtomicInteger());
    }

    /** As {@link #readUntilClose(boolean)}, counting the texts in {@code textsSoFar} as they come. */
    Ending readUntilClose(boolean answerPings, AtomicInteger textsSoFar) {
        List<String> texts = new ArrayList<>();
        int pings = 0;
        while (true) {
            Frame frame = nextOrEnd();
            if (frame == null) {
                return new Ending(1006, "(no close frame: the connection just ended)", texts, pings);
            }
            switch (frame.opcode()) {
                case TEXT -> {
                    texts.add(frame.text());
                    textsSoFar.incrementAndGet();
                }
                case PING -> {
                    pings++;
                    if (answerPings) {
                        send(PONG, frame.payload());
                    }
                }
                case CLOSE -> {
                    return new Ending(frame.closeCode(), frame.closeReason(), texts, pings);
                }
                default -> { }
            }
        }
    }

    /**
     * Reads until the server ends the TCP connection, skipping whatever frames still come; fails when the
     * connection is still open after the read deadline. The end of what the server sends (its FIN) is not
     * enough: a server that has shut down only its writing half still holds the connection, so this also
     * waits until a frame from us is refused (the kernel answers a closed connection with a reset).
     */
    void readUntilEnd(String why) {
        while (true) {
            Frame frame;
            try {
                frame = nextOrEnd();
            } catch (AssertionError stillOpen) {
                throw new AssertionError(why + " — but the connection was still open after " + READ_DEADLINE_MS / 1000 + " s");
            }
            if (frame == null) {
                break;
            }
        }
        Eventually.until(why + " — the server stopped sending, but it should close the connection, not only its"
                + " sending half: frames from the client are still taken", () -> {
                    try {
                        send(PING, new byte[0]);
                        return false;
                    } catch (UncheckedIOException closed) {
                        return true;
                    }
                });
    }

    /** A frame, or null when the connection ended (EOF or reset); fails when nothing comes in time. */
    private Frame nextOrEnd() {
        try {
            return readFrame();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof SocketTimeoutException) {
                throw new AssertionError("no frame from the server within " + READ_DEADLINE_MS / 1000 + " s");
            }
            return null;
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the server closed the connection");
        }
        return b;
    }

    /** Ends the TCP connection at once, without a close frame: a cable pulled. */
    void drop() {
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
