package org.decency.checks.dnsbl;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.decency.checks.support.DnsTestSupport;
import org.decency.core.Evaluation;
import org.decency.core.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** error_skip and skip_release: a list that keeps failing is left alone for a while, and that is logged once. */
class DnsblErrorSkipTest {
    static final String NAME = DnsblCheckTest.REVERSED + ".broken.example";

    @TempDir
    Path dir;
    DnsTestSupport dns;
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger healthLog = (Logger) LoggerFactory.getLogger(ListHealth.class);

    @BeforeEach
    void start() {
        dns = new DnsTestSupport(dir);
        logged.start();
        healthLog.addAppender(logged);
        healthLog.setLevel(Level.INFO);
        healthLog.setAdditive(false); // seen here, not on the console
    }

    @AfterEach
    void stop() {
        healthLog.detachAppender(logged);
        healthLog.setLevel(null);
        healthLog.setAdditive(true);
        dns.close();
    }

    @Test
    void aListFailingErrorSkipTimesInARowIsSkippedForSkipReleaseThenAskedAgain() throws Exception {
        dns.server.servfail(NAME);
        DnsblCheck check = check();

        assertThat(detail(check)).isEqualTo("broken.example: SERVFAIL");
        assertThat(detail(check)).isEqualTo("broken.example: SERVFAIL");
        assertThat(asked()).as("the resolver reuses a SERVFAIL for its error_ttl; each request counts").isEqualTo(1);

        assertThat(detail(check)).isEqualTo("broken.example skipped after errors");
        dns.clock.advance(Duration.ofMinutes(9));
        assertThat(detail(check)).isEqualTo("broken.example skipped after errors");
        assertThat(warnings()).containsExactly("DNSBL: list broken.example: failed 2 times in a row (last: SERVFAIL); not asked for 10m");

        dns.server.clear().add(NAME, "A", "127.0.0.2");
        dns.clock.advance(Duration.ofMinutes(1));
        Outcome back = check.evaluate(DnsblCheckTest.tx(DnsblCheckTest.CLIENT), new Evaluation(-100));
        assertThat(back.scores()).extracting(s -> s.brief()).containsExactly("DNSBL_BROKEN_EXAMPLE=-100");
        assertThat(messages()).contains("DNSBL: list broken.example: asking it again");
        assertThat(warnings()).hasSize(1);
    }

    @Test
    void anAnswerInBetweenStartsTheCountOver() throws Exception {
        DnsblCheck check = check();
        dns.server.servfail(NAME);
        detail(check);
        dns.server.clear();
        dns.clock.advance(Duration.ofSeconds(6)); // past the resolver's error_ttl
        assertThat(detail(check)).isEqualTo("not listed on 1 list");
        dns.server.servfail(NAME);
        dns.clock.advance(Duration.ofMinutes(2)); // past the negative TTL
        assertThat(detail(check)).isEqualTo("broken.example: SERVFAIL");

        assertThat(detail(check)).as("the second failure in a row").isEqualTo("broken.example: SERVFAIL");
        assertThat(detail(check)).isEqualTo("broken.example skipped after errors");
    }

    @Test
    void aSilentListIsSkippedTooAndThenCostsNoTime() throws Exception {
        dns.server.timeout(NAME);
        DnsblCheck check = check("error_skip: 1\ntimeout: 200ms\n");

        assertThat(detail(check)).isEqualTo("broken.example: no answer in time");
        long t0 = System.nanoTime();
        assertThat(detail(check)).isEqualTo("broken.example skipped after errors");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(DnsTestSupport.TIMEOUT);
        assertThat(asked()).isEqualTo(1);
    }

    @Test
    void errorSkipZeroNeverSkips() throws Exception {
        dns.server.servfail(NAME);
        DnsblCheck check = check("error_skip: 0\n");

        for (int i = 0; i < 5; i++) assertThat(detail(check)).isEqualTo("broken.example: SERVFAIL");
        assertThat(warnings()).isEmpty();
    }

    private DnsblCheck check() {
        return check("error_skip: 2\nskip_release: 10m\n");
    }

    private DnsblCheck check(String options) {
        return (DnsblCheck) new DnsblFactory().create("DNSBL", dns.yaml(options + "blacklist: [broken.example]\n"), dns.env());
    }

    private String detail(DnsblCheck check) throws Exception {
        Outcome o = check.evaluate(DnsblCheckTest.tx(DnsblCheckTest.CLIENT), new Evaluation(-100));
        assertThat(o.scores()).hasSize(1);
        return o.scores().getFirst().detail();
    }

    private int asked() {
        return (int) dns.server.asked().stream().filter(a -> a.equals(NAME + "/A")).count();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<String> messages() {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
