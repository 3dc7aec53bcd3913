package kata.launcher.room;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The launcher's side of the room: after a run, one small {@code POST /report} to the room the clone joined —
 * sent in the background with a short deadline, so that a room that is slow, gone or refusing never slows or
 * breaks the learner's run; when the board did not get the run, one line says so, and the next run tries again.
 *
 * <p>What is sent is {@link RoomReport} and the envelope (room code, the participant's random id): nothing else.
 */
public final class RoomReporter {
    /** A room on the same LAN answers in milliseconds; a learner never waits longer than this for one that does not. */
    public static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** How a report ended: {@code status} 200 when the board got it, another status when the room refused it, 0 when it did not answer. */
    public record Outcome(int status, String problem) {
        public boolean delivered() {
            return status == 200;
        }
    }

    private final RoomConfig config;
    private final Consumer<String> problems;
    private final HttpClient client;
    private final List<CompletableFuture<Outcome>> pending = new CopyOnWriteArrayList<>();

    /**
     * @param problems told, in one line, why the board did not get a run (from a background thread)
     */
    public RoomReporter(RoomConfig config, Consumer<String> problems) {
        if (!config.inRoom()) {
            throw new IllegalArgumentException("not in a room: ./kata join URL CODE first");
        }
        this.config = config;
        this.problems = problems;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** Sends in the background and returns at once; the future never fails. */
    public CompletableFuture<Outcome> send(RoomReport report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", config.code());
        body.put("id", config.id());
        body.put("name", report.name());
        body.put("chapter", report.chapter());
        body.put("green", report.green());
        body.put("total", report.total());
        body.put("failing", report.failing());
        body.put("hints", report.hints());
        body.put("at", report.at().toString());
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url() + "/report"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RoomJson.GSON.newBuilder().serializeNulls().create().toJson(body)))
                .build();
        CompletableFuture<Outcome> outcome = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> response.statusCode() == 200 ? new Outcome(200, null)
                        : new Outcome(response.statusCode(), refusal(response)))
                .exceptionally(e -> new Outcome(0, unreachable(e)));
        CompletableFuture<Outcome> told = outcome.thenApply(result -> {
            if (!result.delivered()) {
                problems.accept(result.problem());
            }
            return result;
        });
        pending.add(told);
        told.whenComplete((result, e) -> pending.remove(told));
        return told;
    }

    /** Waits, at most a little longer than {@link #TIMEOUT}, for reports still on their way: before the JVM ends. */
    public void finish() {
        CompletableFuture<?>[] all = pending.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(all).get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // what did not arrive by now is given up: the next run reports again
        }
    }

    private String refusal(HttpResponse<String> response) {
        String reason;
        try {
            JsonObject answer = JsonParser.parseString(response.body()).getAsJsonObject();
            reason = answer.get("error").getAsString();
        } catch (RuntimeException e) {
            reason = "an answer that is not the room's";
        }
        return "the room at " + config.url() + " answered " + response.statusCode() + ": " + reason;
    }

    private String unreachable(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
            return "the room at " + config.url() + " did not answer within " + TIMEOUT.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "the room at " + config.url() + " is not reachable (is it still open? is this the right address?)";
        }
        return "the room at " + config.url() + " could not be reached (" + cause.getClass().getSimpleName() + ")";
    }
}
