package dev.orchestrator.jdbc.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy between node and database that a test can cut (close every connection
 * and refuse new ones) or black-hole (accept, read, forward nothing until restored). Platform
 * threads: virtual ones share two carriers with the node's own virtual threads (process starts
 * pin them), which delayed the proxied node's round trips past its lease.
 */
final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Local ports of the proxy's connections to the database: its backends' {@code client_port}. */
    final Set<Integer> upstreamPorts = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean blackHoled;
    private volatile ServerSocket server;
    private volatile boolean closed;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket s = bind(0);
        this.port = s.getLocalPort();
        listen(s);
    }

    int port() {
        return port;
    }

    /** The JDBC URL of the test server, through this proxy. */
    String jdbcUrl() {
        return Faults.PG_URL.replace(":" + targetPort + "/", ":" + port + "/");
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void listen(ServerSocket s) {
        server = s;
        Thread.ofPlatform().daemon().name("proxy-accept").start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Thread.ofPlatform().daemon().start(() -> connect(client));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void connect(Socket client) {
        try {
            sockets.add(client);
            awaitOpen();
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(upstream);
            upstreamPorts.add(upstream.getLocalPort());
            Thread.ofPlatform().daemon().start(() -> pump(client, upstream));
            pump(upstream, client);
        } catch (IOException | InterruptedException e) {
            quietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                awaitOpen();
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // cut, or the other side closed
        } finally {
            quietly(from);
            quietly(to);
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (blackHoled && !closed) {
                gate.wait();
            }
        }
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    void cut() throws IOException {
        ServerSocket s = server;
        s.close();
        for (Socket socket : List.copyOf(sockets)) {
            quietly(socket);
        }
    }

    /** Accepts and reads, forwards nothing, until {@link #restore()}. */
    void blackHole() {
        blackHoled = true;
    }

    /** Forwards again (what a black hole held goes through); listens again after a cut. */
    void restore() throws IOException {
        synchronized (gate) {
            blackHoled = false;
            gate.notifyAll();
        }
        if (server.isClosed()) {
            listen(bind(port));
        }
    }

    private void quietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        restore();
        server.close();
        for (Socket socket : List.copyOf(sockets)) {
            quietly(socket);
        }
    }
}
