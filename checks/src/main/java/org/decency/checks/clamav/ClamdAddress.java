package org.decency.checks.clamav;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Where clamd listens: {@code host} and {@code port} (its {@code TCPSocket}) or {@code
 * path} (its {@code LocalSocket}, a unix socket). A host name is resolved at each new
 * connection, so a clamd that moves is found again.
 *
 * @param socket the unix socket, or null for TCP
 */
record ClamdAddress(String host, int port, Path socket) {

    static ClamdAddress tcp(String host, int port) {
        return new ClamdAddress(host, port, null);
    }

    static ClamdAddress unix(Path socket) {
        return new ClamdAddress(null, 0, socket);
    }

    boolean isUnix() {
        return socket != null;
    }

    /** A new channel, not yet connected (so that a watchdog can close it while it connects). */
    SocketChannel newChannel() throws IOException {
        SocketChannel ch = isUnix() ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        if (!isUnix()) ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return ch;
    }

    void connect(SocketChannel ch) throws IOException {
        ch.connect(isUnix() ? UnixDomainSocketAddress.of(socket) : inet());
    }

    private InetSocketAddress inet() throws IOException {
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) throw new IOException("cannot resolve " + host);
        return a;
    }

    @Override
    public String toString() {
        if (isUnix()) return socket.toString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
