package kata.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kata.harness.Browsers;
import kata.harness.ChatPage;
import kata.harness.Lesson;
import kata.harness.Served;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Mallory's client sends what no page would; the server closes her socket with a code that says why, and
 * Alice and Bob chat on as if nothing happened. */
@Lesson("§6 Bad input: size limit and close codes")
class BadInputTest {
    static final int LIMIT = 8 * 1024;
    /** How long a peer has to answer the server's close frame before its connection is cut. */
    static final Duration GRACE = Duration.ofMillis(200);

    @RegisterExtension
    final Served<WebSocketServer> app = Served.by(
            () -> WebSocketServer.start(0, Settings.defaults().maxMessageBytes(LIMIT).closeGrace(GRACE)),
            WebSocketServer::port);
    @RegisterExtension
    final Browsers browsers = new Browsers();

    private ChatPage alice;
    private ChatPage bob;

    private void aliceAndBobAreChatting() {
        alice = browsers.chat("Alice", app.url("/?name=Alice"));
        bob = browsers.chat("Bob", app.url("/?name=Bob"));
        PageSocket.waitUntilOpen(alice);
        PageSocket.waitUntilOpen(bob);
    }

    private RawSocket mallory() {
        return RawSocket.open(app.port(), "/ws?name=Mallory", app.origin());
    }

    private void aliceAndBobAreUnharmed() {
        alice.send("still here?");
        bob.waitForMessages("Alice: still here?");
        alice.waitForMessages("Alice: still here?");
        assertEquals("open", PageSocket.state(bob.browser()), "Bob's socket should stay open");
    }

    @Test
    void anOversizeMessageIsClosedWith1009AndTheOthersAreUnharmed() {
        aliceAndBobAreChatting();
        try (RawSocket mallory = mallory()) {
            String prefix = "{\"type\":\"message\",\"text\":\"";
            String huge = prefix + "x".repeat(LIMIT - prefix.length() - 1) + "\"}"; // LIMIT + 1 bytes
            assertEquals(LIMIT + 1, huge.getBytes(StandardCharsets.UTF_8).length);

            mallory.sendText(huge);

            RawSocket.Ending ending = mallory.readUntilClose(true);
            assertEquals(1009, ending.code(), "A message of " + (LIMIT + 1) + " bytes is over the " + LIMIT
                    + "-byte limit: close 1009 (Message Too Big) — but Mallory's socket ended with " + ending.describe());
            mallory.sendClose(1009); // she answers the close frame: the closing handshake is complete
            mallory.readUntilEnd("Once Mallory answered its close frame, the server should end the TCP connection at once"
                    + " (RFC 6455 §7.1.1), even after a message it stopped reading half-way");
        }
        aliceAndBobAreUnharmed();
    }

    @Test
    void theLimitCountsBytesOfUtf8NotCharacters() {
        try (RawSocket mallory = mallory()) {
            String prefix = "{\"type\":\"message\",\"text\":\"";
            String text = "é".repeat(LIMIT / 2); // 2 bytes each in UTF-8: fewer characters than the limit, more bytes
            String message = prefix + text + "\"}";
            mallory.sendText(message);

            RawSocket.Ending ending = mallory.readUntilClose(true);
            assertEquals(1009, ending.code(), "A message of " + message.length() + " characters but "
                    + message.getBytes(StandardCharsets.UTF_8).length + " bytes of UTF-8 is over the " + LIMIT
                    + "-byte limit: close 1009 — but Mallory's socket ended with " + ending.describe());
        }
    }

    @Test
    void theLimitIsEnforcedWhileReadingNotAfterTheWholeMessageArrived() {
        try (RawSocket mallory = mallory()) {
            // The frame announces 100 MB; Mallory sends the first LIMIT + 1 KiB of it and waits.
            byte[] start = ("{\"type\":\"message\",\"text\":\"" + "x".repeat(LIMIT + 1024)).getBytes(StandardCharsets.UTF_8);
            mallory.sendStart(RawSocket.TEXT, 100_000_000L, start);

            RawSocket.Ending ending = mallory.readUntilClose(true);
            assertEquals(1009, ending.code(), "A message that is already over the " + LIMIT + "-byte limit should be"
                    + " refused (close 1009) as soon as the limit is passed, not after all of its 100 MB have been read"
                    + " into memory — but Mallory's socket ended with " + ending.describe());
            mallory.readUntilEnd("Mallory never answers the close frame: the server should cut her connection after a"
                    + " grace period (" + GRACE.toMillis() + " ms here)");
        }
    }

    @Test
    void aMessageOfExactlyTheLimitIsRead() {
        try (RawSocket carol = RawSocket.open(app.port(), "/ws?name=Carol", app.origin())) {
            String prefix = "{\"type\":\"message\",\"text\":\"";
            String exact = prefix + "x".repeat(LIMIT - prefix.length() - 2) + "\"}"; // LIMIT bytes
            assertEquals(LIMIT, exact.getBytes(StandardCharsets.UTF_8).length);

            carol.sendText(exact);
            String answer = carol.readText();
            assertTrue(answer.startsWith("{\"type\":\"error\""), "A message of exactly " + LIMIT + " bytes is within"
                    + " the limit: it should be read (and, its text being over 500 characters, answered with an error"
                    + " frame) — but the answer was " + answer);
        }
    }

    @Test
    void aCloseReasonFitsInItsFrameWhateverWasSent() {
        try (RawSocket mallory = mallory()) {
            mallory.sendText("{\"type\":\"" + "x".repeat(300) + "\"}");

            RawSocket.Ending ending = mallory.readUntilClose(true);
            assertEquals(1007, ending.code(), "A frame of an unknown \"type\" gets close 1007, whatever its length"
                    + " — but Mallory's socket ended with " + ending.describe());
            int bytes = ending.reason().getBytes(StandardCharsets.UTF_8).length;
            assertEquals(123, bytes, "A close frame's reason has at most 123 bytes (RFC 6455 §5.5): cut the reason to"
                    + " fit, keeping as much as fits — but this one had " + bytes + ": " + ending.reason());
        }
        String smiles = "\uD83D\uDE00".repeat(100); // 😀, 4 bytes of UTF-8 each, two UTF-16 chars in Java
        try (RawSocket mallory = mallory()) {
            mallory.sendText("{\"type\":\"" + smiles + "\"}");

            RawSocket.Ending ending = mallory.readUntilClose(true);
            String reason = ending.reason();
            int bytes = reason.getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= 123 && bytes >= 120 && reason.endsWith("\uD83D\uDE00"), "A reason cut to 123 bytes must"
                    + " be cut between characters, not inside one (a 😀 is 4 bytes): " + bytes + " bytes, \"" + reason + "\"");
        }
    }

    @Test
    void malformedJsonIsClosedWith1007AndTheOthersAreUnharmed() {
        aliceAndBobAreChatting();
        try (RawSocket mallory = mallory()) {
            mallory.sendText("{\"type\":\"message\",\"text\":");

            RawSocket.Ending ending = mallory.readUntilClose(true);
            assertEquals(1007, ending.code(), "Malformed JSON is not a chat frame: close 1007 (Invalid Payload Data)"
                    + " — but Mallory's socket ended with " + ending.describe());
            assertTrue(ending.texts().isEmpty(), "Nothing should have been relayed to Mallory: " + ending.texts());
        }
        try (RawSocket mallory = mallory()) {
            mallory.sendText("{\"type\":\"delete-everything\"}");
            RawSocket.Ending ending = mallory.readUntilClose(true);
            assertEquals(1007, ending.code(), "A frame of an unknown \"type\" is not a chat frame either: close 1007"
                    + " — but Mallory's socket ended with " + ending.describe());
        }
        aliceAndBobAreUnharmed();
    }

    @Test
    void aBinaryMessageIsClosedWith1003() {
        try (RawSocket mallory = mallory()) {
            mallory.send(RawSocket.BINARY, new byte[] {1, 2, 3});

            RawSocket.Ending ending = mallory.readUntilClose(true);
            assertEquals(1003, ending.code(), "This chat speaks JSON text: a binary message gets close 1003"
                    + " (Unsupported Data) — but Mallory's socket ended with " + ending.describe());
            mallory.readUntilEnd("Mallory never answers the close frame: the server should cut her connection after a"
                    + " grace period (" + GRACE.toMillis() + " ms here), not keep it open for ever");
        }
    }

    @Test
    void aBigBinaryMessageIsRefusedBeforeItIsReadWhole() {
        try (RawSocket mallory = mallory()) {
            // A binary frame that announces 100 MB; Mallory sends the first LIMIT + 1 KiB of it and waits.
            mallory.sendStart(RawSocket.BINARY, 100_000_000L, new byte[LIMIT + 1024]);

            RawSocket.Ending ending = mallory.readUntilClose(true);
            assertTrue(ending.code() == 1009 || ending.code() == 1003, "Binary messages are refused, and a big one"
                    + " must not be read into memory first: close 1009 (or 1003) as soon as the limit is passed — but"
                    + " Mallory's socket ended with " + ending.describe());
        }
    }

    @Test
    void aBlankMessageGetsAnErrorFrameAndTheSocketStaysOpen() {
        try (RawSocket carol = RawSocket.open(app.port(), "/ws?name=Carol", app.origin())) {
            carol.sendText("{\"type\":\"message\",\"text\":\"   \"}");
            String answer = carol.readText();
            assertTrue(answer.startsWith("{\"type\":\"error\""),
                    "A well-formed frame that breaks a chat rule (blank text) is answered with an error frame"
                            + " {\"type\":\"error\",\"reason\":…}, and the socket stays open — but the answer was " + answer);

            carol.sendText("{\"type\":\"message\",\"text\":\"sorry\"}");
            assertEquals("{\"type\":\"message\",\"id\":1,\"author\":\"Carol\",\"text\":\"sorry\"}", carol.readText(),
                    "After the error the socket should still work, and the blank message should not have been stored");
        }
    }
}
