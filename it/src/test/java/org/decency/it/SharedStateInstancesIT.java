package org.decency.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.decency.cli.DetectiveRunner;
import org.decency.cli.DoormanRunner;
import org.decency.cli.RunningServer;
import org.decency.it.PolicyClient.Request;
import org.decency.testkit.Postgres;
import org.decency.testkit.Redis;
import org.decency.testkit.SmtpClient;
import org.decency.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: two Doormen, each its own operating-system process on its own port with its
 * own config, and a Detective, all on one private redis-server ({@code cache:}) and one
 * private PostgreSQL ({@code database:}) on loopback, as "Shared state" in docs/CONFIG.md
 * describes. The Doormen are asked over the Postfix policy protocol, the Detective over
 * SMTP; what one instance learnt must hold at the other.
 *
 * <p>The control: a third Doorman with the same checks on its own embedded store (in this
 * JVM) must not know what the shared ones learnt, so every "B knows what A saw" below is
 * shown to come from the shared store, not from the request itself.
 *
 * <p>Each test uses its own clients, senders and recipients: they do not depend on each
 * other or on their order. A failure shows the output of every server.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedStateInstancesIT {
    private static final Duration GREYLIST_DELAY = Duration.ofSeconds(3);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int THROTTLE_LIMIT = 3;

    private static final String GREYLIST_TEXT = "Greylisted by the scale-out test";
    private static final String THROTTLE_TEXT = "Throttled by the scale-out test";
    private static final String HONEY_WELCOME = "The honey has been served to the scale-out test";
    private static final String HONEY_MARKED = "Marked by a honeypot of the scale-out test";
    /** Recipient domains that skip greylisting, so the other checks' answers show. */
    private static final String OPEN_DOMAIN = "open.example";

    /** Kept when a test fails: configs, the servers' output, the Detective's spool. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static Redis redis;
    static Postgres postgres;
    static TestDnsServer dns;
    static DecencyProcess doormanA;
    static DecencyProcess doormanB;
    /** The control: the same checks on an embedded store of its own. */
    static RunningServer loner;
    static RunningServer detective;
    static SmtpSink sink;
    static PolicyClient a;
    static PolicyClient b;
    static PolicyClient alone;

    private static final AtomicInteger instances = new AtomicInteger();

    @RegisterExtension
    static final TestExecutionExceptionHandler SHOW_SERVERS = MaillogOnFailure.showing(SharedStateInstancesIT::report);

    @BeforeAll
    static void startServers() throws IOException, InterruptedException {
        redis = Redis.start(dir.resolve("redis"));
        postgres = Postgres.start(dir.resolve("postgres"));
        postgres.psql("postgres", "CREATE DATABASE decency");
        // No check here asks DNS; should one ever, it asks this server and never the machine's resolver.
        dns = TestDnsServer.start();
        sink = SmtpSink.start();

        int portA = PostfixInstance.freeLoopbackPort();
        int portB = PostfixInstance.freeLoopbackPort();
        while (portB == portA) portB = PostfixInstance.freeLoopbackPort();
        doormanA = DecencyProcess.start("doorman-a", dir, portA, "doorman", "-c",
                writeDoormanConfig("doorman-a.yml", portA, sharedStore()).toString());
        doormanB = DecencyProcess.start("doorman-b", dir, portB, "doorman", "-c",
                writeDoormanConfig("doorman-b.yml", portB, sharedStore()).toString());
        // While the two JVMs start: the Detective and the control in this one.
        Files.createDirectories(dir.resolve("detective"));
        detective = DetectiveRunner.start(Files.writeString(dir.resolve("detective/detective.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 4}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: %d}
                %s
                dns: {servers: ["%s"], timeout: 1s, retries: 0}
                spam: {behavior: scoring, threshold: -20, handle: tag, subject_prefix: "[SPAM]", noisy_headers: 1}
                modules:
                  - MimeAttribs: {}
                """.formatted(sink.port(), sharedStore(), dns.address())));
        Files.createDirectories(dir.resolve("alone"));
        loner = DoormanRunner.start(writeDoormanConfig("alone/doorman.yml", 0, "database: {path: decency.db}"));

        doormanA.awaitListening(START_TIMEOUT);
        doormanB.awaitListening(START_TIMEOUT);
        a = PolicyClient.connect(doormanA.port());
        b = PolicyClient.connect(doormanB.port());
        alone = PolicyClient.connect(loner.port());
        // The first answer of a fresh JVM is slow (class loading, the first Redis and PostgreSQL
        // connections); get it over with here, not inside the greylist's few seconds.
        for (PolicyClient c : List.of(a, b, alone)) {
            assertThat(c.ask(new Request("192.0.2.1", "warm.example.net", "warm@example.net", "warm@" + OPEN_DOMAIN, instance())))
                    .as(() -> "a harmless request at start-up\n\n" + report())
                    .startsWith("PREPEND X-Decency-Instance: ");
        }
    }

    /** {@code cache:} on the Redis, {@code database:} on the PostgreSQL: the same for every instance. */
    private static String sharedStore() {
        return """
                cache: {class: redis, host: 127.0.0.1, port: %d, prefix: "scaleout:"}
                database: {type: postgres, url: "%s", user: %s, pool_size: 4}""".formatted(
                redis.port(), postgres.jdbcUrl("decency"), Postgres.USER);
    }

    /**
     * Honeypot, Basic (a HELO of one label scores -30), Greylist with a delay of a few
     * seconds, Throttle on the sender address. {@link #OPEN_DOMAIN} skips greylisting. The
     * throttle counts in windows aligned to the epoch; a day makes a window edge during the
     * test unlikely, and the throttle test steps over one that is near.
     */
    private static Path writeDoormanConfig(String name, int port, String store) throws IOException {
        return Files.writeString(dir.resolve(name), """
                server: {host: 127.0.0.1, port: %d, instances: 2}
                %s
                dns: {servers: ["%s"], timeout: 1s, retries: 0}
                weight_threshold: -100
                modules:
                  - Honeypot: {addresses: ["trap@%s"], welcome_message: "%s", reject_message: "%s"}
                  - Basic: {weight_non_fqdn_helo_hostname: -30}
                  - Greylist: {delay: %ds, retry_window: 1h, reject_message: "%s, retry in %%s"}
                  - Throttle:
                      limits: {sender_address: ["%d/1d"]}
                      default_reject_message: "%s (%%maximum%% mails in %%interval%% seconds)"
                exclusions: {modules: {Greylist: {to_domain: [%s]}}}
                """.formatted(port, store, dns.address(), OPEN_DOMAIN, HONEY_WELCOME, HONEY_MARKED,
                GREYLIST_DELAY.toSeconds(), GREYLIST_TEXT, THROTTLE_LIMIT, THROTTLE_TEXT, OPEN_DOMAIN));
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, alone, doormanA, doormanB, loner, detective, sink, dns, redis, postgres}) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                System.err.println("cannot stop " + c + ": " + e);
            }
        }
    }

    /** Postfix's {@code instance}: one per message, so the throttle counts each request as a message. */
    private static String instance() {
        return "it." + instances.incrementAndGet();
    }

    @Test
    void a_greylist_triplet_first_seen_at_A_passes_at_B_after_the_delay() throws InterruptedException {
        Request triplet = new Request("192.0.2.10", "mail.grey.example.net", "alice@grey.example.net", "bob@it.example", instance());
        // B is asked about this one only after the delay: it can pass only if B reads A's first sighting.
        Request onlyA = new Request("192.0.2.10", "mail.grey.example.net", "alice@grey.example.net", "bert@it.example", instance());

        assertThat(a.ask(triplet)).as("A: a new triplet").startsWith("DEFER_IF_PERMIT " + GREYLIST_TEXT);
        assertThat(a.ask(onlyA)).as("A: another new triplet").startsWith("DEFER_IF_PERMIT " + GREYLIST_TEXT);
        Instant firstSeen = Instant.now();
        assertThat(b.ask(triplet)).as("B: the first triplet before the delay").startsWith("DEFER_IF_PERMIT " + GREYLIST_TEXT);

        // The triplet keeps whole seconds: a second more than the delay after A answered is past it.
        sleepUntil(firstSeen.plus(GREYLIST_DELAY).plusSeconds(1).plusMillis(200));
        assertThat(b.ask(onlyA)).as("B: after the delay, a triplet only A saw").startsWith("PREPEND X-Decency-Instance: ");
        assertThat(b.ask(triplet)).as("B: after the delay, the first triplet").startsWith("PREPEND X-Decency-Instance: ");
        assertThat(a.ask(triplet)).as("A: the triplet B let through").startsWith("PREPEND X-Decency-Instance: ");
        assertThat(alone.ask(triplet)).as("a Doorman on its own store has never seen the triplet")
                .startsWith("DEFER_IF_PERMIT " + GREYLIST_TEXT);
    }

    @Test
    void the_throttle_counts_the_mails_of_both_instances_together() throws InterruptedException {
        stepOverAWindowEdge(Duration.ofDays(1));
        String sender = "burst@quota.example.net";
        List<String> answers = new ArrayList<>();
        List<PolicyClient> turns = List.of(a, b, a, b, a);
        for (PolicyClient doorman : turns) {
            answers.add(doorman.ask(new Request("192.0.2.20", "mail.quota.example.net", sender, "carol@" + OPEN_DOMAIN, instance())));
        }

        assertThat(answers.subList(0, THROTTLE_LIMIT)).as("the first %d mails, at A, B, A", THROTTLE_LIMIT)
                .allSatisfy(answer -> assertThat(answer).startsWith("PREPEND X-Decency-Instance: "));
        assertThat(answers.get(THROTTLE_LIMIT)).as("mail %d, at B, which saw only one before", THROTTLE_LIMIT + 1)
                .startsWith("DEFER " + THROTTLE_TEXT + " (" + THROTTLE_LIMIT + " mails in 86400 seconds)");
        assertThat(answers.get(THROTTLE_LIMIT + 1)).as("mail %d, at A", THROTTLE_LIMIT + 2).startsWith("DEFER " + THROTTLE_TEXT);
        assertThat(alone.ask(new Request("192.0.2.20", "mail.quota.example.net", sender, "carol@" + OPEN_DOMAIN, instance())))
                .as("a Doorman on its own store counted none of them").startsWith("PREPEND X-Decency-Instance: ");
    }

    @Test
    void a_honeypot_hit_at_A_blocks_the_client_at_B() {
        String client = "192.0.2.30";
        Request normal = new Request(client, "mail.sticky.example.net", "honey@sticky.example.net", "dave@" + OPEN_DOMAIN, instance());
        Request trap = new Request(client, "mail.sticky.example.net", "honey@sticky.example.net", "trap@" + OPEN_DOMAIN, instance());

        assertThat(b.ask(normal)).as("B: the client before it hit the trap").startsWith("PREPEND X-Decency-Instance: ");
        assertThat(a.ask(trap)).as("A: the trap").startsWith("REJECT " + HONEY_WELCOME);
        assertThat(b.ask(new Request(client, "mail.sticky.example.net", "honey@sticky.example.net", "dave@" + OPEN_DOMAIN, instance())))
                .as("B: the client after it hit the trap at A").startsWith("REJECT " + HONEY_MARKED);
        assertThat(alone.ask(normal)).as("a Doorman on its own store never saw the hit").startsWith("PREPEND X-Decency-Instance: ");
    }

    @Test
    void the_Detective_adds_the_Doormans_score_from_the_shared_store_without_any_header() throws InterruptedException {
        String sender = "dora@scored.example.net";
        String recipient = "erin@" + OPEN_DOMAIN;
        String queueId = "4XqScaleOut1";
        // A HELO of one label: Basic scores -30, below the Doorman's threshold, so the mail passes with it.
        String answer = b.ask(new Request("192.0.2.40", "mailhost", sender, recipient, instance(), queueId));
        assertThat(answer).as("B's answer").startsWith("PREPEND X-Decency-Instance: ").contains("|unsigned|-30|");

        // Postfix queued the mail as 4XqScaleOut1 and hands it to the Detective: the Doorman's
        // header is not in it (as with disable_prepend, or a Postfix that drops it).
        SmtpClient.Reply scored = sendToDetective(sender, recipient, queueId, "scored by the Doorman");
        assertThat(scored.code()).as("the Detective's answer: %s", scored).isEqualTo(250);
        SmtpSink.Message tagged = delivered(sender);
        assertThat(tagged.header("X-Decency-Instance")).as("the Doorman's header").isEmpty();
        assertThat(tagged.header("X-Decency-Result")).contains("SPAM");
        assertThat(tagged.header("X-Decency-Score")).contains("-30");
        assertThat(tagged.header("X-Decency-SpamInfo")).contains("Doorman=-30");
        assertThat(tagged.header("X-Decency-Details")).hasValueSatisfying(d -> assertThat(d).contains("Doorman=-30").contains("BASIC_HELO_NOT_FQDN; Score: -30"));
        assertThat(tagged.header("Subject")).contains("[SPAM] scored by the Doorman");

        // The same kind of mail under a queue id no Doorman answered for: nothing to add.
        String other = "otto@scored.example.net";
        SmtpClient.Reply unscored = sendToDetective(other, recipient, "4XqUnknown99", "not scored by any Doorman");
        assertThat(unscored.code()).as("the Detective's answer: %s", unscored).isEqualTo(250);
        SmtpSink.Message good = delivered(other);
        assertThat(good.header("X-Decency-Result")).contains("GOOD");
        assertThat(good.header("X-Decency-Score")).contains("0");
        assertThat(good.header("X-Decency-Details")).hasValueSatisfying(d -> assertThat(d).doesNotContain("Doorman"));
    }

    // ---- helpers ----

    /** The mail as Postfix's filter transport hands it over: XFORWARD, one recipient, its own Received line on top. */
    private static SmtpClient.Reply sendToDetective(String sender, String recipient, String queueId, String subject) {
        String mail = String.join("\r\n",
                "Received: from mailhost (unknown [192.0.2.40])",
                "\tby mx.it.example (Postfix) with ESMTP id " + queueId,
                "\tfor <" + recipient + ">; Mon, 2 Mar 2026 10:00:00 +0000 (UTC)",
                "From: <" + sender + ">",
                "To: <" + recipient + ">",
                "Subject: " + subject,
                "Date: Mon, 2 Mar 2026 10:00:00 +0000",
                "Message-Id: <" + queueId + "@scored.example.net>",
                "",
                "Hello from the scale-out test.",
                "");
        try (SmtpClient c = SmtpClient.ehlo(detective.port())) {
            SmtpClient.Reply x = c.cmd("XFORWARD NAME=mailhost ADDR=192.0.2.40 PROTO=ESMTP HELO=mailhost");
            if (x.code() != 250) return x;
            SmtpClient.Reply r = c.mail(sender, List.of(recipient), mail);
            c.cmd("QUIT");
            return r;
        }
    }

    private static SmtpSink.Message delivered(String sender) throws InterruptedException {
        List<SmtpSink.Message> got = sink.awaitFrom(sender, 1, Duration.ofSeconds(30));
        assertThat(got).as("mails from %s at the sink (all: %s)", sender, sink.received()).hasSize(1);
        return got.getFirst();
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms > 0) Thread.sleep(ms);
    }

    /** Waits past the next edge of epoch-aligned windows of {@code window} when it is less than 20 seconds away. */
    private static void stepOverAWindowEdge(Duration window) throws InterruptedException {
        long nowMs = System.currentTimeMillis();
        long left = window.toMillis() - nowMs % window.toMillis();
        if (left < 20_000) Thread.sleep(left + 1000);
    }

    /** The servers' output, for a failure. */
    private static String report() {
        List<String> parts = new ArrayList<>();
        for (DecencyProcess p : new DecencyProcess[] {doormanA, doormanB}) if (p != null) parts.add(p.outputTail(60));
        if (sink != null) parts.add("---- the sink received ----\n" + sink.received());
        if (redis != null) parts.add("---- redis ----\n" + tail(redis.output(), 20));
        if (postgres != null) parts.add("---- postgres ----\n" + tail(postgres.output(), 20));
        parts.add("(the Detective and the control Doorman log to this JVM's output; everything is kept in " + dir + ")");
        return String.join("\n\n", parts);
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
