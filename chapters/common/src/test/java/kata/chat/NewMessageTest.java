package kata.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NewMessageTest {
    @Test
    void aWellFormedMessageIsAccepted() {
        assertEquals(new NewMessage("Alice", "hi <b>"), NewMessage.parse("{\"author\":\"Alice\",\"text\":\"hi <b>\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "{", "{\"author\":\"Alice\",\"text\":", "{author:\"Alice\",text:\"hi\"}", "{'author':'Alice','text':'hi'}",
        "[\"Alice\",\"hi\"]", "\"hi\"", "{\"author\":\"Alice\",\"text\":\"hi\"} trailing", "null",
        "{\"author\":\"Alice\"}", "{\"text\":\"hi\"}", "{\"author\":\"Alice\",\"text\":\" \\n \"}",
        "{\"author\":\"Alice\",\"text\":42}", "{\"author\":\"Alice\",\"text\":null}", "{\"author\":\"\",\"text\":\"hi\"}"
    })
    void anythingElseIsA400(String body) {
        assertEquals(400, assertThrows(BadRequest.class, () -> NewMessage.parse(body)).status(), body);
    }

    @Test
    void textOverTheLimitIsA413AndTheLimitItselfIsFine() {
        String limit = "x".repeat(NewMessage.MAX_TEXT);
        assertEquals(limit, NewMessage.parse("{\"author\":\"A\",\"text\":\"" + limit + "\"}").text());
        assertEquals(413, assertThrows(BadRequest.class,
                () -> NewMessage.parse("{\"author\":\"A\",\"text\":\"" + limit + "x\"}")).status());
    }

    @Test
    void jsonOutCannotBreakOutOfHtmlOrScript() {
        assertEquals("{\"id\":1,\"author\":\"A\",\"text\":\"\\u003c/script\\u003e\\u2028\\u2029\"}",
                Json.write(new ChatMessage(1, "A", "</script>\u2028\u2029")));
    }
}
