package kata.capstone;

import java.time.Duration;

/**
 * One row of the benchmark: a chapter's reference server and the way a page of that chapter receives the
 * chat (and posts to it). A transport whose chapter is not in this checkout yet is left out of the table,
 * with a note; adding one is a line in {@link #all}.
 *
 * @param name      the row's name in the table
 * @param chapter   the chapter whose solution server runs ({@code 01-polling}), or {@link #PEER}
 * @param server    the server's class, started by {@code start(int port)} in a child JVM ({@link ServerProcess}); null
 *                  for the peer's rows
 * @param receive   how the page receives
 * @param interval  for {@link Receive#POLL} and {@link Receive#JSONP}: the pause between the end of a poll and the next
 */
record Transport(String name, String chapter, String server, Receive receive, Duration interval) {

    enum Receive {
        /** {@code GET /messages?since=N} on a timer: chapter 01. */
        POLL,
        /** {@code GET /messages?since=N}, held by the server until there is news, then again at once: chapter 02. */
        LONG_POLL,
        /** One {@code GET /events} stream, {@code data: Author: text} per message: chapter 03. */
        SSE,
        /** One WebSocket, {@code {"type":"message",...}} frames; posting is a frame too: chapter 04. */
        WEBSOCKET,
        /** {@code <script src="/jsonp?cb=f&since=N">} on a timer, against the API's origin: chapter 06. */
        JSONP,
        /**
         * The peer, nchan: {@code GET /sub} held until the next message, its cursor in {@code If-Modified-Since} and
         * {@code If-None-Match}.
         */
        NCHAN_LONG_POLL,
        /** The peer, nchan: one {@code GET /sub} event stream. */
        NCHAN_SSE,
        /** The peer, nchan: one WebSocket on {@code /sub}; posting is {@code POST /pub}. */
        NCHAN_WEBSOCKET
    }

    static java.util.List<Transport> all(Duration fastPoll, Duration slowPoll) {
        return java.util.List.of(
                new Transport("polling " + millis(fastPoll), "01-polling", "kata.polling.PollingServer", Receive.POLL, fastPoll),
                new Transport("polling " + millis(slowPoll), "01-polling", "kata.polling.PollingServer", Receive.POLL, slowPoll),
                new Transport("JSONP polling " + millis(slowPoll), "06-jsonp", "kata.jsonp.ChatApi", Receive.JSONP, slowPoll),
                new Transport("long polling", "02-longpoll", "kata.longpoll.LongPollServer", Receive.LONG_POLL, Duration.ZERO),
                new Transport("nchan long poll", PEER, null, Receive.NCHAN_LONG_POLL, Duration.ZERO),
                new Transport("SSE", "03-sse", "kata.sse.SseServer", Receive.SSE, Duration.ZERO),
                new Transport("nchan SSE", PEER, null, Receive.NCHAN_SSE, Duration.ZERO),
                new Transport("WebSocket", "04-websocket", "kata.websocket.WebSocketServer", Receive.WEBSOCKET, Duration.ZERO),
                new Transport("nchan WebSocket", PEER, null, Receive.NCHAN_WEBSOCKET, Duration.ZERO));
    }

    /**
     * The peer rows' "chapter": nginx with the nchan module, a C server built for this fan-out, one worker process
     * (the budget of one Java process), the same readers and sender on its own protocol ({@link kata.harness.NchanPeer}).
     */
    static final String PEER = "nchan";

    /** Is this a row of the peer, nchan, rather than of a chapter's reference server? */
    boolean peer() {
        return server == null;
    }

    /** Is the chapter's server on the class path (built with {@code -Psolutions,bench})? */
    boolean available() {
        if (peer()) {
            return kata.harness.NchanPeer.installed();
        }
        try {
            Class.forName(server, false, Transport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
