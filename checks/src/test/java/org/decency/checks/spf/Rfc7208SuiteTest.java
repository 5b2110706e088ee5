package org.decency.checks.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.decency.core.IpAddress;
import org.decency.dns.resolver.DnsSettings;
import org.decency.dns.resolver.DnsjavaDns;
import org.decency.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The openspf.org RFC 7208 test suite (release 2014.04, {@code spf/rfc7208-tests.yml},
 * a copy of /work/shared/testdata/spf), every section and every case, against the real
 * resolver and a loopback DNS server serving each section's zone data.
 *
 * <p>Zone data as the suite's own driver (pyspf's testspf.py) reads it: a name's SPF-type
 * records are also served as TXT unless the name has TXT entries of its own ({@code TXT: NONE}
 * is one that serves nothing); a list is the character-strings of one record; {@code TIMEOUT}
 * makes every question about the name go unanswered, but for the types listed before it.
 * The default explanation is {@code DEFAULT}, as the suite expects.
 */
class Rfc7208SuiteTest {
    static final String SUITE = "/spf/rfc7208-tests.yml";
    /** Every case of the file: the count guards against cases silently not being run. */
    static final int CASES = 203;
    private static final List<String> TYPES = List.of("A", "AAAA", "MX", "TXT", "SPF", "PTR", "CNAME", "NS");

    private static final List<TestDnsServer> servers = new CopyOnWriteArrayList<>();
    private static final List<String> failures = new CopyOnWriteArrayList<>();
    private static int run;

    @AfterAll
    static void stop() {
        servers.forEach(TestDnsServer::close);
    }

    @TestFactory
    List<DynamicNode> rfc7208() throws IOException {
        List<DynamicNode> sections = new ArrayList<>();
        int cases = 0;
        for (Map<String, Object> section : load()) {
            String description = (String) section.get("description");
            Map<String, Map<String, Object>> tests = map(section.get("tests"));
            SpfEvaluator spf = evaluatorFor(map(section.get("zonedata")));
            List<DynamicTest> children = new ArrayList<>();
            tests.forEach((name, test) -> children.add(DynamicTest.dynamicTest(name, () -> check(spf, description, name, test))));
            cases += children.size();
            sections.add(DynamicContainer.dynamicContainer(description, children));
        }
        int total = cases;
        sections.add(DynamicTest.dynamicTest("every case passes", () -> {
            System.out.printf("RFC 7208 test suite: %d cases, %d run, %d failed%n", total, run, failures.size());
            failures.forEach(f -> System.out.println("  FAILED " + f));
            assertThat(total).as("cases in the suite").isEqualTo(CASES);
            assertThat(run).as("cases run").isEqualTo(CASES);
            assertThat(failures).as("failed cases").isEmpty();
        }));
        return sections;
    }

    private static void check(SpfEvaluator spf, String section, String name, Map<String, Object> test) {
        run++;
        IpAddress ip = IpAddress.parse(test.get("host").toString()).orElseThrow();
        String helo = test.get("helo").toString();
        String mailFrom = test.get("mailfrom").toString();
        SpfRequest request = mailFrom.isEmpty() ? SpfRequest.helo(ip, helo) : SpfRequest.mailFrom(ip, mailFrom, helo);
        SpfVerdict v = spf.evaluate(request);

        Object expected = test.get("result");
        List<String> allowed = expected instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of(expected.toString());
        String explanation = (String) test.get("explanation");
        boolean ok = allowed.contains(v.result().word()) && (explanation == null || explanation.equals(v.explanation()));
        String got = v.result().word() + (v.explanation().isEmpty() ? "" : " \"" + v.explanation() + "\"") + " (" + v.why() + ")";
        if (!ok) {
            failures.add(section + " / " + name + ": expected " + allowed + (explanation == null ? "" : " \"" + explanation + "\"")
                    + ", got " + got);
        }
        assertThat(v.result().word()).as(section + " / " + name + ": " + got).isIn(allowed);
        if (explanation != null) assertThat(v.explanation()).as(section + " / " + name + " explanation").isEqualTo(explanation);
    }

    private static SpfEvaluator evaluatorFor(Map<String, List<Object>> zone) {
        TestDnsServer server = TestDnsServer.start();
        servers.add(server);
        zone.forEach((name, entries) -> serve(server, name, entries));
        DnsSettings d = DnsSettings.of(server.address());
        DnsjavaDns dns = new DnsjavaDns(new DnsSettings(d.servers(), Duration.ofMillis(300), 0, 10_000, Duration.ofDays(1),
                Duration.ofMinutes(5), Duration.ofSeconds(5)));
        return new SpfEvaluator(dns, Duration.ofSeconds(20), "receiver.test", Clock.systemUTC()).withDefaultExplanation("DEFAULT");
    }

    private static void serve(TestDnsServer server, String name, List<Object> entries) {
        boolean ownTxt = entries.stream().anyMatch(e -> e instanceof Map<?, ?> m && m.containsKey("TXT"));
        boolean timeout = entries.contains("TIMEOUT");
        Set<String> served = new HashSet<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> record)) continue; // TIMEOUT
            record.forEach((t, value) -> {
                String type = t.toString().toUpperCase(Locale.ROOT);
                switch (type) {
                    case "TXT", "SPF" -> {
                        if ("NONE".equals(value)) return;
                        List<String> strings = value instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of(value.toString());
                        if (type.equals("TXT") || !ownTxt) server.addTxt(name, strings);
                        if (type.equals("SPF")) server.add(name, "SPF", String.join("", strings));
                        served.add(type);
                        if (!ownTxt) served.add("TXT");
                    }
                    case "MX" -> {
                        List<?> mx = (List<?>) value;
                        String host = mx.get(1).toString();
                        server.add(name, "MX", mx.get(0) + " " + (host.isEmpty() ? "." : host));
                        served.add(type);
                    }
                    case "A", "AAAA", "PTR", "CNAME" -> {
                        server.add(name, type, value.toString());
                        served.add(type);
                    }
                    default -> throw new IllegalArgumentException("zone data of " + name + ": unknown record type " + type);
                }
            });
        }
        if (timeout) for (String type : TYPES) if (!served.contains(type)) server.timeout(name, type);
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, T> map(Object o) {
        return o == null ? Map.of() : (Map<String, T>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> load() throws IOException {
        try (InputStream in = Rfc7208SuiteTest.class.getResourceAsStream(SUITE)) {
            if (in == null) throw new IOException("test resource missing: " + SUITE);
            List<Map<String, Object>> sections = new ArrayList<>();
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) sections.add((Map<String, Object>) doc);
            return sections;
        }
    }
}
