package kata.scaleout;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xnio.IoUtils;

/**
 * A load balancer in front of the nodes, as a real deployment has one: one origin for the browser, requests
 * spread over the nodes round-robin (Undertow's {@link ProxyHandler} with a {@link LoadBalancingProxyClient}).
 * Given code: the chapter is about the nodes, not about this.
 *
 * <p>{@link #moveTo} takes every node but one out of rotation and drops the connections in flight, as a
 * balancer does when a node is drained: long polls and event streams break, and the browsers' next requests
 * go to the node that is left. That is how a test moves Bob from node A to node B mid-conversation.
 *
 * <p>Each node names itself in an {@code X-Served-By} header; {@link #served()} lists who answered what.
 */
public final class Balancer implements AutoCloseable {
    public static final String SERVED_BY = "X-Served-By";

    private final Undertow undertow;
    private final LoadBalancingProxyClient proxy = new LoadBalancingProxyClient().setConnectionsPerThread(20);
    private final Set<URI> inRotation = new LinkedHashSet<>();
    private final Set<HttpServerExchange> inFlight = ConcurrentHashMap.newKeySet();
    private final List<String> served = new CopyOnWriteArrayList<>();

    private Balancer(int port, List<URI> nodes) {
        for (URI node : nodes) {
            proxy.addHost(node);
            inRotation.add(node);
        }
        HttpHandler proxying = ProxyHandler.builder().setProxyClient(proxy).setMaxRequestTime(-1)
                .setMaxConnectionRetries(1).build();
        undertow = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(exchange -> track(exchange, proxying))
                .build();
    }

    /** A balancer on 127.0.0.1 (port 0: a free one) spreading requests over {@code nodes}, e.g. http://127.0.0.1:8081. */
    public static Balancer start(int port, List<URI> nodes) {
        Balancer balancer = new Balancer(port, nodes);
        balancer.undertow.start();
        return balancer;
    }

    private void track(HttpServerExchange exchange, HttpHandler next) throws Exception {
        inFlight.add(exchange);
        String request = exchange.getRequestMethod() + " " + exchange.getRequestPath();
        exchange.addResponseCommitListener(committed -> served.add(request + " → "
                + committed.getStatusCode() + " " + String.valueOf(committed.getResponseHeaders().getFirst(SERVED_BY))));
        exchange.addExchangeCompleteListener((done, proceed) -> {
            inFlight.remove(done);
            proceed.proceed();
        });
        next.handleRequest(exchange);
    }

    /** From now on every request goes to {@code node}; requests in flight through this balancer are cut. */
    public synchronized void moveTo(URI node) {
        if (!inRotation.contains(node)) {
            proxy.addHost(node);
        }
        for (URI other : new ArrayList<>(inRotation)) {
            if (!other.equals(node)) {
                proxy.removeHost(other);
            }
        }
        inRotation.clear();
        inRotation.add(node);
        for (HttpServerExchange exchange : inFlight) {
            // On the connection's own I/O thread: Undertow's proxy pool may be touched only there.
            exchange.getIoThread().execute(() -> IoUtils.safeClose(exchange.getConnection()));
        }
    }

    /** Who answered what, oldest first: {@code "GET /events → 200 B"}. */
    public List<String> served() {
        return List.copyOf(served);
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
        proxy.closeCurrentConnections();
    }
}
