package kata.scaleout;

/** The two ways the page receives messages; the chapter's tests run their stories with each. */
enum Transport {
    LONG_POLLING("longpoll"), SERVER_SENT_EVENTS("sse");

    final String parameter;

    Transport(String parameter) {
        this.parameter = parameter;
    }

    /**
     * The page's query string for this person and this transport; its first wait after a failed request is
     * {@link TwoNodes#PAGE_BACKOFF} instead of 250 ms, so that a page whose node came back is not waited for.
     */
    String page(String person) {
        return "/?name=" + person + "&transport=" + parameter + "&backoff=" + TwoNodes.PAGE_BACKOFF.toMillis();
    }
}
