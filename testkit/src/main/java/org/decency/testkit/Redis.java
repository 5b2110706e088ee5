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

    /**
     * A Redis Sentinel (redis-server in sentinel mode) in {@code dir} watching the master on
     * {@code masterPort} under the name {@code master}, with a quorum of 1.
     */
    public static Redis sentinel(Path dir, String master, int masterPort) {
        int port = freeLoopbackPort();
        try {
            Files.createDirectories(dir);
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir.toAbsolutePath() + "\n"
                    + "sentinel monitor " + master + " 127.0.0.1 " + masterPort + " 1\n"
                    + "sentinel down-after-milliseconds " + master + " 1000\n");
            return new Redis(List.of(executable("redis-server"), conf.toAbsolutePath().toString(), "--sentinel"), dir, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare redis sentinel in " + dir, e);
        }
    }

    /** A Redis Cluster of masters on loopback, all slots assigned; {@link #close} stops every node. */
    public static final class Cluster implements AutoCloseable {
        private final List<Redis> nodes;

        private Cluster(List<Redis> nodes) {
            this.nodes = nodes;
        }

        public List<Redis> nodes() {
            return nodes;
        }

        @Override
        public void close() {
            nodes.forEach(Redis::close);
        }
    }

    /** Starts {@code masters} cluster nodes below {@code dir} and joins them (redis-cli --cluster create). */
    public static Cluster cluster(Path dir, int masters) {
        List<Redis> nodes = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                Path d = dir.resolve("node" + i);
                Files.createDirectories(d);
                int port = clusterPort();
                nodes.add(new Redis(List.of(executable("redis-server"), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--dir", d.toAbsolutePath().toString(), "--daemonize", "no",
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"), d, port));
            }
            List<String> create = new java.util.ArrayList<>(List.of(executable("redis-cli"), "--cluster", "create"));
            for (Redis n : nodes) create.add("127.0.0.1:" + n.port());
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process p = new ProcessBuilder(create).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (Redis n : nodes) {
                while (!clusterOk(n.port())) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("the cluster did not reach cluster_state:ok:\n" + out);
                    sleep(100);
                }
            }
            return new Cluster(nodes);
        } catch (IOException | RuntimeException | InterruptedException e) {
            nodes.forEach(Redis::close);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start a redis cluster: " + e, e);
        }
    }

    private static boolean clusterOk(int port) {
        try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write("CLUSTER INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] b = new byte[4096];
            int n = s.getInputStream().read(b);
            return n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).contains("cluster_state:ok");
        } catch (IOException e) {
            return false;
        }
    }

    /** A free port whose cluster bus port (port + 10000) is free too. */
    private static int clusterPort() {
        java.util.Random r = new java.util.Random();
        for (int tries = 0; tries < 200; tries++) {
            int port = 20000 + r.nextInt(20000);
            if (free(port) && free(port + 10000)) return port;
        }
        throw new IllegalStateException("no free port pair for a cluster node");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
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
