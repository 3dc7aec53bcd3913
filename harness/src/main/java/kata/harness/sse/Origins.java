package kata.harness.sse;

import java.net.URI;
import java.util.Locale;

/** Serialized origins ({@code scheme://host[:port]}) as the HTML standard defines them for http(s). */
final class Origins {

    private Origins() {
    }

    /** The serialization of the origin of {@code url}, the default port left out. */
    static String of(URI url) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        String host = url.getHost().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port == -1
                || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
