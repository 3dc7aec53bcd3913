package kata.harness;

import java.util.List;

/**
 * The chat page that runs through the whole kata, as a person uses it: type into {@code #text}, press
 * {@code #send}, read the list {@code #messages}, one {@code <li>} per message shown as
 * {@code "Author: text"}. Every chapter's page keeps these three ids; how it talks to the server is the
 * chapter's lesson.
 */
public final class ChatPage {
    public static final String MESSAGES = "#messages li";

    private final Browser browser;

    public ChatPage(Browser browser) {
        this.browser = browser;
    }

    public Browser browser() {
        return browser;
    }

    public String person() {
        return browser.name();
    }

    public void send(String text) {
        browser.fill("#text", text);
        browser.click("#send");
    }

    /** The messages this page shows, oldest first, as "Author: text". */
    public List<String> messages() {
        return browser.texts(MESSAGES);
    }

    /** Waits until the page shows exactly these messages, in this order, each once. */
    public void waitForMessages(String... expected) {
        List<String> wanted = List.of(expected);
        browser.waitUntil(person() + " should see exactly " + quoted(wanted) + ", in order, each once",
                () -> messages().equals(wanted),
                () -> quoted(messages()));
    }

    /** Waits until the page shows this message (among others). */
    public void waitForMessage(String expected) {
        browser.waitUntil(person() + " should see \"" + expected + "\"",
                () -> messages().contains(expected),
                () -> quoted(messages()));
    }

    /** Waits until the page shows at least {@code n} messages. */
    public void waitForCount(int n) {
        browser.waitUntil(person() + " should see " + n + " messages",
                () -> messages().size() >= n,
                () -> messages().size() + " messages");
    }

    static String quoted(List<String> messages) {
        if (messages.isEmpty()) {
            return "no messages";
        }
        if (messages.size() > 6) {
            return messages.size() + " messages, from \"" + messages.get(0) + "\" to \""
                    + messages.get(messages.size() - 1) + "\"";
        }
        return "[\"" + String.join("\", \"", messages) + "\"]";
    }
}
