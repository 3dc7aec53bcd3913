package kata.harness.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.htmlunit.util.WebResponseWrapper;

/**
 * An XHR response as the page may see it (Fetch "basic filtered response" / "CORS filtered response"): its
 * header list holds only the headers the page may read, never {@code Set-Cookie}. HtmlUnit's
 * {@code getAllResponseHeaders()} reads this list, and so does the fetch polyfill's {@code Response.headers};
 * {@link ExposedHeaders} makes {@code getResponseHeader(name)} agree with it.
 *
 * <p>Only the list is filtered: HtmlUnit itself still reads single values ({@code Location},
 * {@code Content-Type}, its own CORS check's {@code Access-Control-Allow-Origin}) through
 * {@link #getResponseHeaderValue(String)}, which is left as it was.
 */
final class CorsFilteredResponse extends WebResponseWrapper {

    /** Which header names (any case) the page may read. */
    interface Exposure {
        boolean exposes(String name);
    }

    private final Exposure exposure;

    CorsFilteredResponse(WebResponse response, Exposure exposure) {
        super(response);
        this.exposure = exposure;
    }

    @Override
    public List<NameValuePair> getResponseHeaders() {
        List<NameValuePair> visible = new ArrayList<>();
        for (NameValuePair header : super.getResponseHeaders()) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            if (!CorsRules.FORBIDDEN_RESPONSE_HEADERS.contains(name) && exposure.exposes(name)) {
                visible.add(header);
            }
        }
        return visible;
    }
}
