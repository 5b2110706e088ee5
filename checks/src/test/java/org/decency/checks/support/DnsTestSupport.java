package org.decency.checks.support;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.decency.config.ConfigLoader;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.ManualClock;
import org.decency.dns.resolver.DnsSettings;
import org.decency.dns.resolver.DnsjavaDns;
import org.decency.store.InMemoryStore;
import org.decency.testkit.TestDnsServer;

/**
 * For tests of checks that ask DNS: a loopback {@link TestDnsServer} with the test's
 * zone data, the project's real resolver pointed at it (short timeouts, no retries, so
 * a silent name costs a test {@link #TIMEOUT}), and a check environment using both.
 * Close it after the test.
 */
public final class DnsTestSupport implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofMillis(400);

    public final TestDnsServer server = TestDnsServer.start();
    public final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    public final InMemoryStore store = new InMemoryStore(clock);
    public final DnsjavaDns dns;
    public final Path dir;

    public DnsTestSupport(Path dir) {
        this.dir = dir;
        DnsSettings d = DnsSettings.of(server.address());
        this.dns = new DnsjavaDns(new DnsSettings(d.servers(), TIMEOUT, 0, 10_000, Duration.ofDays(1),
                Duration.ofMinutes(5), Duration.ofSeconds(5)), clock);
    }

    /** An environment for factories: this store, clock and resolver; this host is mx.test.invalid / 203.0.113.254. */
    public CheckEnvironment env() {
        return new CheckEnvironment(store, clock, dir, "doorman", List.of("mx.test.invalid"), List.of("203.0.113.254"))
                .withDns(dns);
    }

    /** A module's settings from YAML text, as the config loader reads a module file. */
    public ConfigNode yaml(String text) {
        try {
            Path f = java.nio.file.Files.writeString(dir.resolve("module-" + System.nanoTime() + ".yml"), text);
            return ConfigLoader.loadFile(f, "");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
