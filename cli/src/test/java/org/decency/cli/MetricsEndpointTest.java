package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.decency.testkit.Redis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus endpoint scraped over HTTP on loopback after known decisions: the
 * Doorman's decisions, check hits, final words and latency histograms; the Detective's
 * reinjection failures and spool; store errors while Redis is down; one endpoint shared
 * by two servers of one process. Off without {@code metrics:}.
 */
class MetricsEndpointTest {
    @TempDir Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private <T extends AutoCloseable> T keep(T t) {
        open.add(t);
        return t;
    }

    static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return r.body();
    }

    /** The value of the series {@code name} with (at least) these labels ({@code k=v}); null when there is none. */
    static Double value(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#")) continue;
            int brace = line.indexOf('{'), space = line.lastIndexOf(' ');
            String metric = brace < 0 ? line.substring(0, Math.max(0, space)) : line.substring(0, brace);
            if (!metric.equals(name)) continue;
            Map<String, String> have = new HashMap<>();
            if (brace >= 0) {
                for (String kv : line.substring(brace + 1, line.lastIndexOf('}')).split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) have.put(kv.substring(0, eq), kv.substring(eq + 2, kv.length() - 1));
                }
            }
            boolean all = true;
            for (String l : labels) {
                String[] kv = l.split("=", 2);
                if (!kv[1].equals(have.get(kv[0]))) all = false;
            }
            if (all) return Double.parseDouble(line.substring(space + 1));
        }
        return null;
    }

    private Path doorman(String extra) throws Exception {
        return Files.writeString(dir.resolve("doorman.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 1}
                disable_prepend: 1
                database: {path: d.db}
                modules:
                  - CWL: {ips: {"*": [198.51.100.1]}}
                  - CBL: {ips: {"*": [192.0.2.66]}}
                  - Basic: {weight_non_fqdn_helo_hostname: -30}
                """ + extra);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDoormansDecisionsChecksAndLatencies() throws Exception {
        RunningServer d = keep(DoormanRunner.start(doorman("metrics: {listen: 127.0.0.1:0}\n")));
        assertThat(d.metricsPort()).isPositive();
        StatsCommandTest.fourKnownRequests(d);

        String m = scrape(d.metricsPort());
        assertThat(value(m, "decency_decisions_total", "server=doorman", "action=accept")).isEqualTo(1);
        assertThat(value(m, "decency_decisions_total", "server=doorman", "action=reject")).isEqualTo(1);
        assertThat(value(m, "decency_decisions_total", "server=doorman", "action=pass")).isEqualTo(2);
        assertThat(value(m, "decency_check_hits_total", "server=doorman", "check=Basic")).isEqualTo(1);
        assertThat(value(m, "decency_check_hits_total", "check=CBL")).as("a final word with score 0 is no hit").isNull();
        assertThat(value(m, "decency_check_final_words_total", "check=CWL", "action=OK")).isEqualTo(1);
        assertThat(value(m, "decency_check_final_words_total", "check=CBL", "action=REJECT")).isEqualTo(1);
        assertThat(value(m, "decency_check_duration_seconds_count", "server=doorman", "check=CWL")).isEqualTo(4);
        assertThat(value(m, "decency_check_duration_seconds_count", "check=CBL")).isEqualTo(3);
        assertThat(value(m, "decency_check_duration_seconds_count", "check=Basic")).isEqualTo(2);
        assertThat(value(m, "decency_check_duration_seconds_bucket", "check=CWL", "le=+Inf")).isEqualTo(4);
        assertThat(value(m, "decency_check_duration_seconds_bucket", "check=CWL", "le=30.0")).isEqualTo(4);
        assertThat(value(m, "decency_check_duration_seconds_bucket", "check=CWL", "le=1.0E-5")).as("the statistics' first bound").isNotNull();
        assertThat(value(m, "decency_check_duration_seconds_sum", "check=CWL")).isPositive();
        assertThat(m).contains("# TYPE decency_check_duration_seconds histogram");
        assertThat(value(m, "decency_store_errors_total")).as("no store error, no series").isNull();
        assertThat(value(m, "decency_maintenance_runs_total", "server=doorman")).as("the expiry sweep, not run yet").isNotNull();

        StatsCommandTest.ask(d, "192.0.2.66", "mail.example.net");
        assertThat(value(scrape(d.metricsPort()), "decency_decisions_total", "action=reject")).isEqualTo(2);
    }

    @Test
    void offWithoutTheConfigLine() throws Exception {
        RunningServer d = keep(DoormanRunner.start(doorman("")));
        assertThat(d.metricsPort()).isEqualTo(-1);
        assertThat(d.services().metrics()).isNull();
    }

    @Test
    void aBadListenAddressIsAConfigErrorNamingTheLine() throws Exception {
        for (String bad : List.of("metrics: {listen: 9464}", "metrics: {listen: \"127.0.0.1:http\"}", "metrics: {listen: \"::1:9464\"}")) {
            Path cfg = doorman(bad + "\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DoormanRunner.assemble(cfg, Clock.systemUTC(),
                            sc -> new org.decency.store.InMemoryStore(Clock.systemUTC()), null))
                    .isInstanceOf(org.decency.config.ConfigException.class)
                    .hasMessageContaining("doorman.yml:8: metrics.listen: expected HOST:PORT");
        }
        Path unknown = doorman("metrics: {listen: 127.0.0.1:9464, path: /m}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DoormanRunner.assemble(unknown, Clock.systemUTC(),
                        sc -> new org.decency.store.InMemoryStore(Clock.systemUTC()), null))
                .hasMessageContaining("metrics.path: unknown key");
        var ok = DoormanRunner.assemble(doorman("metrics: {listen: \"[::1]:9464\"}\n"), Clock.systemUTC(),
                sc -> new org.decency.store.InMemoryStore(Clock.systemUTC()), null);
        assertThat(ok.services().metrics().listen().getPort()).isEqualTo(9464);
        ok.store().close();
    }

    @Test
    void theDetectivesReinjectionFailuresSpoolAndDecisions() throws Exception {
        RecordingNextHop nextHop = new RecordingNextHop(dir.resolve("nexthop"));
        int closed = freePort();
        Path cfg = Files.writeString(dir.resolve("detective.yml"), """
                server: {host: 127.0.0.1, port: 0}
                spool_dir: spool
                reinject: [{host: 127.0.0.1, port: %d}, {host: 127.0.0.1, port: %d}]
                database: {path: c.db}
                metrics: {listen: 127.0.0.1:0}
                modules: []
                """.formatted(closed, nextHop.port()));
        RunningServer c = keep(DetectiveRunner.start(cfg));
        String mail = "From: a@example.net\nTo: b@example.org\nSubject: hi\n\nhello\n";

        assertThat(SmtpTestClient.send(c.port(), "192.0.2.1", "a@example.net", List.of("b@example.org"), mail)).startsWith("250 ");
        String m = scrape(c.metricsPort());
        assertThat(value(m, "decency_decisions_total", "server=detective", "action=deliver/good")).isEqualTo(1);
        assertThat(value(m, "decency_reinject_failures_total", "server=detective", "target=127.0.0.1:" + closed)).isEqualTo(1);
        assertThat(value(m, "decency_reinject_undelivered_total", "server=detective")).isZero();
        assertThat(value(m, "decency_spool_processing", "server=detective")).isZero();

        nextHop.close(); // now no target takes it: Postfix is told 451 and keeps the mail
        assertThat(SmtpTestClient.send(c.port(), "192.0.2.1", "a@example.net", List.of("b@example.org"), mail)).startsWith("451 ");
        m = scrape(c.metricsPort());
        assertThat(value(m, "decency_decisions_total", "action=tempfail/good")).isEqualTo(1);
        assertThat(value(m, "decency_reinject_failures_total", "target=127.0.0.1:" + closed)).isEqualTo(2);
        assertThat(value(m, "decency_reinject_failures_total", "target=127.0.0.1:" + nextHop.port())).isEqualTo(1);
        assertThat(value(m, "decency_reinject_undelivered_total")).isEqualTo(1);
    }

    @Test
    void aDefenderWithoutADetectiveSectionCountsEachMailsEnd() throws Exception {
        Path cfg = Files.writeString(dir.resolve("defender.yml"), """
                server: {host: 127.0.0.1, port: 0}
                database: {path: d.db}
                metrics: {listen: 127.0.0.1:0}
                doorman:
                  modules:
                    - CBL: {ips: {"*": [192.0.2.66]}}
                """);
        RunningServer d = keep(DefenderRunner.start(cfg));
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", d.port())) {
            s.setSoTimeout(10_000);
            var out = new java.io.DataOutputStream(s.getOutputStream());
            var in = new java.io.DataInputStream(s.getInputStream());
            // no "no reply" steps asked for: every command gets its answer
            assertThat(milter(out, in, 'O', new byte[] {0, 0, 0, 6, 0, 0, 1, (byte) 0xff, 0, 0, 0, 0})).isEqualTo((byte) 'O');
            assertThat(milter(out, in, 'C', concat(cstrings("client.example.net"), new byte[] {'4', 0, 25}, cstrings("192.0.2.1"))))
                    .isEqualTo((byte) 'c');
            assertThat(milter(out, in, 'H', cstrings("client.example.net"))).isEqualTo((byte) 'c');
            assertThat(milter(out, in, 'M', cstrings("<a@example.net>"))).isEqualTo((byte) 'c');
            assertThat(milter(out, in, 'R', cstrings("<b@example.org>"))).isEqualTo((byte) 'c');
            assertThat(milter(out, in, 'L', cstrings("Subject", "hi"))).isEqualTo((byte) 'c');
            assertThat(milter(out, in, 'N', new byte[0])).isEqualTo((byte) 'c');
            assertThat(milter(out, in, 'B', "hello\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isEqualTo((byte) 'c');
            assertThat(milter(out, in, 'E', new byte[0])).as("the end of the mail, after the X-Decency headers").isIn((byte) 'a', (byte) 'c');
        }
        String m = scrape(d.metricsPort());
        assertThat(value(m, "decency_decisions_total", "server=defender", "action=pass")).as("the RCPT answer").isEqualTo(1);
        assertThat(value(m, "decency_decisions_total", "server=defender", "action=deliver/good")).as("the mail's end").isEqualTo(1);
    }

    /** Sends one milter packet and returns the command byte of the decisive answer (header edits before it skipped). */
    private static byte milter(java.io.DataOutputStream out, java.io.DataInputStream in, char command, byte[] data) throws Exception {
        out.writeInt(data.length + 1);
        out.writeByte(command);
        out.write(data);
        out.flush();
        while (true) {
            byte[] packet = new byte[in.readInt()];
            in.readFully(packet);
            if (packet[0] != 'h' && packet[0] != 'i' && packet[0] != 'm') return packet[0];
        }
    }

    private static byte[] cstrings(String... strings) {
        var b = new java.io.ByteArrayOutputStream();
        for (String s : strings) {
            b.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            b.write(0);
        }
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        var b = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    @Test
    void storeErrorsAndCheckFailuresWhileRedisIsDown() throws Exception {
        Redis redis = keep(Redis.start(dir.resolve("redis")));
        RunningServer d = keep(DoormanRunner.start(Files.writeString(dir.resolve("doorman.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 1}
                disable_prepend: 1
                cache: {class: redis, host: 127.0.0.1, port: %d, timeout: 1s}
                database: {path: d.db}
                metrics: {listen: 127.0.0.1:0}
                modules:
                  - Greylist: {}
                """.formatted(redis.port()))));
        assertThat(StatsCommandTest.ask(d, "192.0.2.1", "mail.example.net")).startsWith("action=DEFER_IF_PERMIT");
        assertThat(value(scrape(d.metricsPort()), "decency_store_errors_total")).isNull();

        redis.close();
        assertThat(StatsCommandTest.ask(d, "192.0.2.2", "mail.example.net")).as("the check is skipped").isEqualTo("action=DUNNO");
        String m = scrape(d.metricsPort());
        assertThat(value(m, "decency_check_failures_total", "server=doorman", "check=Greylist")).isEqualTo(1);
        double errors = 0;
        for (String op : List.of("get", "put_if_absent", "increment", "put")) {
            Double v = value(m, "decency_store_errors_total", "server=doorman", "operation=" + op, "kind=unavailable");
            if (v != null) errors += v;
        }
        assertThat(errors).isGreaterThanOrEqualTo(1);
    }

    @Test
    void serversOfOneProcessShareAnEndpointWhileOneOfThemListens() throws Exception {
        int port = freePort();
        String metrics = "metrics: {listen: 127.0.0.1:" + port + "}\n";
        Clock clock = Clock.systemUTC();
        var blockingD = Executors.newVirtualThreadPerTaskExecutor();
        var blockingC = Executors.newVirtualThreadPerTaskExecutor();
        RecordingNextHop nextHop = keep(new RecordingNextHop(dir.resolve("nexthop")));
        var a = DoormanRunner.assemble(doorman(metrics), clock, sc -> sc.open(clock), blockingD);
        var b = DetectiveRunner.assemble(Files.writeString(dir.resolve("detective.yml"), """
                server: {host: 127.0.0.1, port: 0}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: %d}
                database: {path: c.db}
                modules: []
                """.formatted(nextHop.port()) + metrics), clock, sc -> sc.open(clock), blockingC);
        RunningServer d = DoormanRunner.launch(a, clock, blockingD);
        RunningServer c = DetectiveRunner.launch(b, blockingC, clock);
        try {
            assertThat(d.metricsPort()).isEqualTo(port);
            assertThat(c.metricsPort()).isEqualTo(port);
            StatsCommandTest.ask(d, "192.0.2.66", "mail.example.net");
            SmtpTestClient.send(c.port(), "192.0.2.1", "a@example.net", List.of("b@example.org"), "Subject: x\n\nx\n");
            String m = scrape(port);
            assertThat(value(m, "decency_decisions_total", "server=doorman", "action=reject")).isEqualTo(1);
            assertThat(value(m, "decency_decisions_total", "server=detective", "action=deliver/good")).isEqualTo(1);
            assertThat(value(m, "decency_spool_processing", "server=detective")).isZero();

            d.close();
            String after = scrape(port);
            assertThat(value(after, "decency_decisions_total", "server=detective", "action=deliver/good")).isEqualTo(1);
        } finally {
            d.close();
            c.close();
        }
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(s.getLocalPort()).as("the endpoint is gone with the last server").isEqualTo(port);
        }
    }
}
