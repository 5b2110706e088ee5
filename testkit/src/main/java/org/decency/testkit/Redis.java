package org.decency.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private redis-server on 127.0.0.1 for one test: no persistence ({@code --save ''}),
 * its working directory {@code dir}. Stopping it and starting it again on the same port
 * ({@link #start(Path, int)}) is how tests simulate an outage.
 */
public final class Redis extends LocalDaemon {

    private Redis(List<String> command, Path dir, int port) {
        super("redis", command, dir.resolve("redis.out"), port, Duration.ofSeconds(30), Redis::pong);
    }

    /** Starts redis-server in {@code dir} on a free loopback port. */
    public static Redis start(Path dir) {
        return start(dir, freeLoopbackPort());
    }

    /** Starts redis-server in {@code dir} on {@code port} (e.g. again after {@link #close}). */
    public static Redis start(Path dir, int port) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare redis in " + dir, e);
        }
        return new Redis(List.of(executable("redis-server"), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString(), "--daemonize", "no",
                "--protected-mode", "yes"), dir, port);
    }

    public String host() {
        return "127.0.0.1";
    }

    private static boolean pong(Socket s) {
        try {
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] b = new byte[7];
            int n = s.getInputStream().read(b);
            return n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
