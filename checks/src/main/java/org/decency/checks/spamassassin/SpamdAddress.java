package org.decency.checks.spamassassin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Where spamd listens: {@code host} and {@code port} (its {@code --listen=host:port}) or
 * {@code socket} (its {@code --socketpath} / {@code --listen=/path}, a unix socket). A host
 * name is resolved at each connection and its addresses are tried in turn, as spamc does,
 * so {@code localhost} finds a spamd on 127.0.0.1 as well as one on ::1.
 *
 * @param socket the unix socket, or null for TCP
 */
record SpamdAddress(String host, int port, Path socket) {

    static SpamdAddress tcp(String host, int port) {
        return new SpamdAddress(host, port, null);
    }

    static SpamdAddress unix(Path socket) {
        return new SpamdAddress(null, 0, socket);
    }

    boolean isUnix() {
        return socket != null;
    }

    /**
     * A connected channel. {@code opened} receives each channel before it connects, so that
     * a watchdog can close it when the deadline passes while it is still connecting.
     */
    SocketChannel connect(java.util.function.Consumer<SocketChannel> opened) throws IOException {
        if (isUnix()) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            opened.accept(ch);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return ch;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve " + host);
        }
        IOException last = null;
        for (InetAddress a : all) {
            SocketChannel ch = SocketChannel.open();
            opened.accept(ch);
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress(a, port));
                return ch;
            } catch (ClosedChannelException e) {
                ch.close();
                throw e; // the watchdog closed it: the time is up, no other address is tried
            } catch (IOException e) {
                ch.close();
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address for " + host);
    }

    @Override
    public String toString() {
        if (isUnix()) return socket.toString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
