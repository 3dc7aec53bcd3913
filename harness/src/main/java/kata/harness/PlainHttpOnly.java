package kata.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context the tests' HTTP clients are given: one that has no TLS in it. The tests speak plain HTTP to
 * their own servers on loopback, yet the JDK's HttpClient and HtmlUnit each build the JDK's default TLS context as
 * they are made, used or not: JSSE's tables and the JDK's certificate store, about a thousand classes and a tenth
 * of a second of CPU in every test JVM, the learner's red runs included. This one costs nothing, and a client that
 * tries TLS with it fails with a message that says why.
 */
public final class PlainHttpOnly {
    private static final String WHY = "the kata's tests speak plain HTTP to their own servers on loopback;"
            + " their clients have no TLS (harness: PlainHttpOnly)";
    private static final SSLContext CONTEXT = new SSLContext(new NoTls(), null, "none") {
    };

    private PlainHttpOnly() {
    }

    public static SSLContext context() {
        return CONTEXT;
    }

    private static final class NoTls extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new NoTlsSockets();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException(WHY);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw new UnsupportedOperationException(WHY);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw new UnsupportedOperationException(WHY);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw new UnsupportedOperationException(WHY);
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw new UnsupportedOperationException(WHY);
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }
    }

    /** HtmlUnit asks for the socket factory when it is built; a TLS socket is refused when it is asked for. */
    private static final class NoTlsSockets extends SSLSocketFactory {
        @Override
        public String[] getDefaultCipherSuites() {
            return new String[0];
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return new String[0];
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            throw new SSLException(WHY);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            throw new SSLException(WHY);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            throw new SSLException(WHY);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            throw new SSLException(WHY);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            throw new SSLException(WHY);
        }
    }
}
