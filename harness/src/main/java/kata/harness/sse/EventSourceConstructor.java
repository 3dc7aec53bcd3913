package kata.harness.sse;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.http.HttpClient;
import java.util.function.Function;
import org.htmlunit.corejs.javascript.BaseFunction;
import org.htmlunit.corejs.javascript.Context;
import org.htmlunit.corejs.javascript.LambdaFunction;
import org.htmlunit.corejs.javascript.Scriptable;
import org.htmlunit.corejs.javascript.ScriptableObject;
import org.htmlunit.corejs.javascript.VarScope;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.javascript.JavaScriptEngine;
import org.htmlunit.javascript.host.Window;
import org.htmlunit.javascript.host.dom.DOMException;

/**
 * {@code window.EventSource}: the constructor, written in Java, and the interface members on
 * {@code EventSource.prototype} (HtmlUnit's own, which already inherits from
 * {@code EventTarget.prototype} and carries the constants), so that {@code instanceof EventSource} and
 * {@code instanceof EventTarget} hold for what it creates.
 */
final class EventSourceConstructor extends BaseFunction {

    private static final String NAME = "EventSource";
    private static final int CONSTANT = ScriptableObject.READONLY | ScriptableObject.PERMANENT;

    private final transient Window window;
    private final transient Scriptable instancePrototype;
    private final transient EventSourceJavaScriptEngine engine;

    private EventSourceConstructor(Window window, Scriptable instancePrototype, Scriptable functionPrototype,
            EventSourceJavaScriptEngine engine) {
        super(window.getParentScope(), functionPrototype);
        this.window = window;
        this.instancePrototype = instancePrototype;
        this.engine = engine;
    }

    /**
     * Defines {@code EventSource} on a window whose JavaScript was just initialized, replacing
     * HtmlUnit's placeholder. Must be called inside a Rhino context.
     */
    static void defineOn(Context cx, Window window, EventSourceJavaScriptEngine engine) {
        VarScope scope = window.getParentScope();
        Scriptable prototype = window.getPrototype(org.htmlunit.javascript.host.event.EventSource.class);
        if (prototype == null) {
            // a browser version without the placeholder: build the prototype chain ourselves
            prototype = new org.htmlunit.corejs.javascript.NativeObject();
            prototype.setPrototype(window.getPrototype(org.htmlunit.javascript.host.event.EventTarget.class));
        }
        Object eventTarget = ScriptableObject.getProperty(window, "EventTarget");
        Scriptable functionPrototype = eventTarget instanceof Scriptable s ? s
                : ScriptableObject.getFunctionPrototype(scope);

        EventSourceConstructor constructor = new EventSourceConstructor(window, prototype, functionPrototype, engine);
        constructor.setImmunePrototypeProperty(prototype);
        ScriptableObject.defineProperty(constructor, "CONNECTING", EventSourceHost.CONNECTING, CONSTANT);
        ScriptableObject.defineProperty(constructor, "OPEN", EventSourceHost.OPEN, CONSTANT);
        ScriptableObject.defineProperty(constructor, "CLOSED", EventSourceHost.CLOSED, CONSTANT);

        ScriptableObject proto = (ScriptableObject) prototype;
        ScriptableObject.defineProperty(proto, "CONNECTING", EventSourceHost.CONNECTING, CONSTANT);
        ScriptableObject.defineProperty(proto, "OPEN", EventSourceHost.OPEN, CONSTANT);
        ScriptableObject.defineProperty(proto, "CLOSED", EventSourceHost.CLOSED, CONSTANT);
        ScriptableObject.defineProperty(proto, "constructor", constructor, ScriptableObject.DONTENUM);
        readOnly(cx, scope, proto, "readyState", EventSourceHost::getReadyState);
        readOnly(cx, scope, proto, "url", EventSourceHost::getUrl);
        readOnly(cx, scope, proto, "withCredentials", EventSourceHost::isWithCredentials);
        eventHandler(cx, scope, proto, "open");
        eventHandler(cx, scope, proto, "message");
        eventHandler(cx, scope, proto, "error");
        ScriptableObject.defineProperty(proto, "close", new LambdaFunction(scope, "close", 0,
                (lcx, lscope, thisObj, args) -> {
                    host(thisObj).close();
                    return JavaScriptEngine.UNDEFINED;
                }), ScriptableObject.DONTENUM);

        ScriptableObject.defineProperty(window, NAME, constructor, ScriptableObject.DONTENUM);
    }

    private static void readOnly(Context cx, VarScope scope, ScriptableObject proto, String name,
            Function<EventSourceHost, Object> getter) {
        proto.defineProperty(cx, scope, name,
                (ScriptableObject.LambdaGetterFunction) thisObj -> getter.apply(host(thisObj)),
                ScriptableObject.DONTENUM);
    }

    /** {@code on<type>}: stored as the event handler of HtmlUnit's EventTarget, so it runs in order. */
    private static void eventHandler(Context cx, VarScope scope, ScriptableObject proto, String type) {
        proto.defineProperty(cx, scope, "on" + type,
                (ScriptableObject.LambdaGetterFunction) thisObj -> host(thisObj).getEventHandler(type),
                (ScriptableObject.LambdaSetterFunction) (thisObj, value) -> host(thisObj).setEventHandler(type, value),
                ScriptableObject.DONTENUM);
    }

    private static EventSourceHost host(Object thisObj) {
        if (thisObj instanceof EventSourceHost host) {
            return host;
        }
        throw JavaScriptEngine.typeError("Illegal invocation");
    }

    @Override
    public String getFunctionName() {
        return NAME;
    }

    @Override
    public int getLength() {
        return 1;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public Object call(Context cx, Object function, VarScope scope, Object thisObj, Object[] args) {
        throw JavaScriptEngine.typeError(
                "Failed to construct 'EventSource': Please use the 'new' operator, this DOM object constructor"
                        + " cannot be called as a function.");
    }

    /** {@code new EventSource(url, {withCredentials})}. */
    @Override
    public Scriptable construct(Context cx, Object newTarget, VarScope scope, Object[] args) {
        if (args.length < 1) {
            throw JavaScriptEngine.typeError(
                    "Failed to construct 'EventSource': 1 argument required, but only 0 present.");
        }
        String urlArgument = JavaScriptEngine.toString(args[0]);
        boolean withCredentials = false;
        if (args.length > 1 && args[1] instanceof Scriptable init) {
            Object value = ScriptableObject.getProperty(init, "withCredentials");
            withCredentials = value != Scriptable.NOT_FOUND && JavaScriptEngine.toBoolean(value);
        }
        if (!(window.getWebWindow().getEnclosedPage() instanceof HtmlPage page)) {
            throw JavaScriptEngine.reportRuntimeError("EventSource is only supported in HTML pages");
        }
        URL url;
        try {
            url = page.getFullyQualifiedUrl(urlArgument);
            String protocol = url.getProtocol();
            if (!protocol.equals("http") && !protocol.equals("https")) {
                throw new MalformedURLException("not http(s)");
            }
        } catch (MalformedURLException e) {
            throw JavaScriptEngine.asJavaScriptException(window,
                    "Failed to construct 'EventSource': Cannot open an EventSource to '" + urlArgument
                            + "'. The URL is invalid.", DOMException.SYNTAX_ERR);
        }

        EventSourceHost host = new EventSourceHost(page, url, withCredentials);
        host.setParentScope(window.getParentScope());
        host.setPrototype(instancePrototype);
        HttpClient client = engine.httpClient();
        if (client == null) {
            host.close(); // the WebClient is closing
        } else {
            engine.countCreated();
            host.connect(client, engine.defaultReconnectionTimeMillis(), engine.observer());
        }
        return host;
    }
}
