package org.decency.checks.dspam;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.decency.config.ConfigNode;

/**
 * Where DSPAM's server listens: {@code host} and {@code port} (dspam.conf's ServerHost
 * and ServerPort; the seeds' default 127.0.0.1:1024) or {@code socket}, a unix domain
 * socket (ServerDomainSocketPath), relative to the config file's folder.
 *
 * @param socket the socket's path, or null for TCP
 */
record DspamEndpoint(String host, int port, Path socket) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 1024;

    static DspamEndpoint read(ConfigNode n) {
        ConfigNode host = n.child("host", "dspam_host").orElse(null);
        ConfigNode port = n.child("port", "dspam_port").orElse(null);
        ConfigNode socket = n.child("socket").orElse(null);
        if (socket != null) {
            if (host != null || port != null) throw socket.error("give either socket or host and port, not both");
            String path = socket.text().strip();
            if (path.isEmpty()) throw socket.error("expected the path of DSPAM's unix socket (dspam.conf's ServerDomainSocketPath)");
            return new DspamEndpoint("", 0, socket.dir().resolve(path).normalize());
        }
        String h = host == null ? DEFAULT_HOST : host.text().strip();
        if (h.isEmpty() || h.chars().anyMatch(c -> c <= ' ')) throw host.error("expected a host name or address, got \"" + host.text() + "\"");
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        int p = port == null ? DEFAULT_PORT : port.asInt();
        if (p < 1 || p > 65535) throw port.error("expected a port from 1 to 65535, got " + p);
        return new DspamEndpoint(h, p, null);
    }

    /** A blocking channel, not yet connected: the caller connects it with {@link #connect}, so a timer can close it meanwhile. */
    SocketChannel channel() throws IOException {
        if (socket != null) return SocketChannel.open(StandardProtocolFamily.UNIX);
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return ch;
    }

    void connect(SocketChannel ch) throws IOException {
        ch.connect(socket != null ? UnixDomainSocketAddress.of(socket) : new InetSocketAddress(host, port));
    }

    @Override
    public String toString() {
        if (socket != null) return "unix:" + socket;
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
