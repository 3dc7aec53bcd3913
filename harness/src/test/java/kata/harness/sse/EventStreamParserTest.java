package kata.harness.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser against the cases of the web-platform-tests {@code eventsource/format-*.htm} files (their
 * server, {@code resources/message.py}, sends the message followed by a blank line), plus chunking.
 */
class EventStreamParserTest {

    private final List<String> seen = new ArrayList<>();

    private final EventStreamParser parser = new EventStreamParser(new EventStreamParser.Listener() {
        @Override
        public void onEvent(ServerSentEvent event) {
            seen.add(event.type() + "|" + event.data() + "|" + event.lastEventId());
        }

        @Override
        public void onRetry(long reconnectionTimeMillis) {
            seen.add("retry " + reconnectionTimeMillis);
        }
    });

    private List<String> parse(String stream) {
        parser.feed(stream.getBytes(StandardCharsets.UTF_8));
        parser.end();
        return seen;
    }

    private List<String> parseByteByByte(String stream) {
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            parser.feed(new byte[] {b});
        }
        parser.end();
        return seen;
    }

    @Test
    void a_leading_bom_is_stripped_once() { // format-bom
        assertEquals(List.of("message|1|", "message|3|"), parse("\uFEFFdata:1\n\n\uFEFFdata:2\n\ndata:3\n\n"));
    }

    @Test
    void a_second_leading_bom_makes_the_first_field_unknown() { // format-bom-2
        assertEquals(List.of("message|2|", "message|3|"), parse("\uFEFF\uFEFFdata:1\n\ndata:2\n\ndata:3\n\n"));
    }

    @Test
    void comments_are_ignored_with_any_line_ending() { // format-comments
        String longString = "x".repeat(2049);
        String stream = "data:1\r:\0\n:\r\ndata:2\n:" + longString + "\rdata:3\n:data:fail\r:" + longString
                + "\ndata:4\n\n";
        assertEquals(List.of("message|1\n2\n3\n4|"), parse(stream));
    }

    @Test
    void data_lines_join_with_lf_and_a_field_without_colon_has_an_empty_value() { // format-field-data
        assertEquals(List.of("message||", "message|\n|", "message|test|"),
                parse("data:\n\ndata\ndata\n\ndata:test\n\n"));
    }

    @Test
    void an_empty_event_field_means_message() { // format-field-event-empty
        assertEquals(List.of("message|data|"), parse("event: \ndata:data\n\n"));
    }

    @Test
    void the_event_field_names_the_type_for_one_event_only() { // format-field-event
        assertEquals(List.of("test|x|", "message|x|"), parse("event:test\ndata:x\n\ndata:x\n\n"));
    }

    @Test
    void the_last_event_id_persists_until_changed() { // format-field-id
        assertEquals(List.of("message|1|1", "message|2|1", "message|3|"),
                parse("id:1\ndata:1\n\ndata:2\n\nid\ndata:3\n\n"));
    }

    @Test
    void an_id_with_nul_is_ignored() { // format-field-id-null
        assertEquals(List.of("message|1|a", "message|2|a"),
                parse("id:a\ndata:1\n\nid:b\0c\ndata:2\n\n"));
    }

    @Test
    void an_id_without_data_sets_the_last_event_id_without_an_event() { // format-field-id-2
        assertEquals(List.of("message|x|7"), parse("id:7\n\ndata:x\n\n"));
        assertEquals("7", parser.lastEventId());
    }

    @Test
    void field_names_are_case_sensitive_and_unknown_fields_ignored() { // format-field-parsing
        String stream = "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n"
                + " data:32\ndata:4\n\n";
        assertEquals(List.of("message|\0\n 2\n1\n3\n\n4|"), parse(stream));
    }

    @Test
    void unknown_fields_and_plain_text_lines_are_ignored() { // format-field-unknown
        assertEquals(List.of("message|test\n\ntest|"),
                parse("data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n"));
    }

    @Test
    void retry_with_digits_only_is_reported() { // format-field-retry
        assertEquals(List.of("retry 3000", "message|x|"), parse("retry:03000\ndata:x\n\n"));
    }

    @Test
    void retry_with_anything_but_digits_is_ignored() { // format-field-retry-bogus, -empty
        assertEquals(List.of("message|x|"), parse("retry:1000x\nretry\nretry: \nretry:-1\nretry:1.5\ndata:x\n\n"));
    }

    @Test
    void only_one_leading_space_of_a_value_is_removed() { // format-leading-space
        assertEquals(List.of("message|\ttest\n\n test|"), parse("data:\ttest\rdata: \ndata:  test\n\n"));
    }

    @Test
    void cr_lf_and_crlf_all_end_lines() { // format-newlines
        assertEquals(List.of("message|test\n\ntest|", "message|a|"),
                parse("data:test\r\ndata\ndata:test\r\n\r\ndata:a\r\r"));
    }

    @Test
    void a_nul_character_is_data() { // format-null-character
        assertEquals(List.of("message|\0|"), parse("data:\0\n\n\n\n"));
    }

    @Test
    void the_stream_is_utf8() { // format-utf-8
        assertEquals(List.of("message|ok\u2026\uD83D\uDE00|"), parse("data:ok\u2026\uD83D\uDE00\n\n"));
    }

    @Test
    void invalid_utf8_becomes_replacement_characters() {
        parser.feed(new byte[] {'d', 'a', 't', 'a', ':', (byte) 0xFF, 'x', '\n', '\n'});
        assertEquals(List.of("message|\uFFFDx|"), seen);
    }

    @Test
    void the_last_event_without_a_blank_line_is_discarded() { // format-data-before-final-empty-line
        assertEquals(List.of("message|1|"), parse("data:1\n\ndata:2\n"));
    }

    @Test
    void an_unfinished_last_line_is_discarded() {
        assertEquals(List.of(), parse("data:1\n"));
        assertEquals(List.of(), parse("data:1"));
    }

    @Test
    void a_pending_id_is_not_committed_at_end_of_stream() {
        parse("id:1\ndata:1\n\nid:2\ndata:2\n");
        assertEquals("1", parser.lastEventId());
    }

    @Test
    void chunk_boundaries_anywhere_change_nothing() {
        String stream = "\uFEFFid:\u00e9\r\ndata:a\u2026\r\rdata:b\r\n\r\nevent:x\rdata:c\n\n";
        List<String> whole = List.copyOf(parse(stream));
        seen.clear();
        EventStreamParserTest other = new EventStreamParserTest();
        assertEquals(whole, other.parseByteByByte(stream));
        assertEquals(List.of("message|a\u2026|\u00e9", "message|b|\u00e9", "x|c|\u00e9"), whole);
    }

    @Test
    void a_cr_at_the_end_of_a_chunk_and_a_lf_at_the_start_of_the_next_are_one_line_end() {
        parser.feed("data:a\r".getBytes(StandardCharsets.UTF_8));
        parser.feed("\ndata:b\r".getBytes(StandardCharsets.UTF_8));
        parser.feed("\n\r".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("message|a\nb|"), seen);
    }

    @Test
    void a_new_connection_continues_with_the_previous_last_event_id() {
        EventStreamParser next = new EventStreamParser(new EventStreamParser.Listener() {
            @Override
            public void onEvent(ServerSentEvent event) {
                seen.add(event.lastEventId());
            }

            @Override
            public void onRetry(long reconnectionTimeMillis) {
            }
        }, "41");
        next.feed("data:x\n\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("41"), seen);
    }
}
