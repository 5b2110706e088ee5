package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.decency.store.InMemoryStore;
import org.decency.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Doorman's score reaches the Detective: a real Doorman answers a policy request with
 * the instance header, the mail carrying it goes through a real Detective into a
 * recording next hop. The Doorman finds -30 (a HELO without a dot); the Detective's own
 * checks find nothing and its spam threshold is -20, so only the Doorman's score can make
 * the mail spam.
 */
class ScoreForwardingEndToEndTest {
    @TempDir Path dir;
    RecordingNextHop nextHop;
    final List<RunningServer> running = new java.util.ArrayList<>();

    @BeforeEach
    void nextHop() throws Exception {
        nextHop = new RecordingNextHop(dir.resolve("nexthop"));
    }

    @AfterEach
    void stop() {
        running.forEach(RunningServer::close);
        nextHop.close();
    }

    private Path doormanConfig(String extra) throws Exception {
        return Files.writeString(dir.resolve("doorman.yml"), """
                server: {host: 127.0.0.1, port: 0, instances: 1}
                database: {path: doorman.db}
                modules:
                  - Basic: {weight_non_fqdn_helo_hostname: -30}
                """ + extra);
    }

    private Path detectiveConfig(String extra) throws Exception {
        return Files.writeString(dir.resolve("detective.yml"), """
                server: {host: 127.0.0.1, port: 0}
                spool_dir: spool
                reinject: {host: 127.0.0.1, port: %d}
                spam: {behavior: scoring, threshold: -20, handle: tag}
                database: {path: detective.db}
                modules: []
                """.formatted(nextHop.port()) + extra);
    }

    /** What Postfix asks the Doorman at RCPT TO; the answer without "action=". */
    private static String ask(RunningServer doorman, String rcpt, String queueId) throws Exception {
        Map<String, String> attrs = new LinkedHashMap<>(PolicyTestCommand.defaults());
        attrs.put("client_address", "192.0.2.1");
        attrs.put("helo_name", "workstation");
        attrs.put("sender", "alice@example.net");
        attrs.put("recipient", rcpt);
        attrs.put("queue_id", queueId);
        String answer = PolicyTestCommand.ask("127.0.0.1", doorman.port(), attrs);
        assertThat(answer).startsWith("action=");
        return answer.substring("action=".length());
    }

    /** The mail as Postfix hands it to the content filter: what the Doorman prepended, Postfix's Received, the sender's part. */
    private static String mail(String prepended, String queueId) {
        return prepended + "\n"
                + "Received: from workstation (mail.example.net [192.0.2.1])\n\tby mx.example.org (Postfix) with ESMTP id " + queueId
                + "\n\tfor <bob@example.org>; Sun,  1 Mar 2026 12:00:00 +0000 (UTC)\n"
                + "X-Decency-Instance: 0000forgedbyalice|unsigned|500|1|whitelisted|\n"
                + "From: Alice <alice@example.net>\nTo: bob@example.org\nSubject: hello\n\nHi Bob\n";
    }

    private RecordingNextHop.Delivered send(RunningServer detective, String mail, String rcpt) throws Exception {
        int before = nextHop.delivered.size();
        String reply = SmtpTestClient.send(detective.port(), "192.0.2.1", "alice@example.net", List.of(rcpt), mail);
        assertThat(reply).startsWith("250 ");
        assertThat(nextHop.delivered).hasSize(before + 1);
        RecordingNextHop.Delivered d = nextHop.delivered.getLast();
        assertThat(d.head()).as("every instance header is gone").doesNotContainIgnoringCase("X-Decency-Instance");
        return d;
    }

    @Test
    void aSignedHeaderCarriesTheDoormansScoreIntoTheDetectivesDecision() throws Exception {
        Path keys = dir.resolve("keys");
        assertThat(KeygenCommandTest.run("keygen", "--out", keys.toString()).exit()).isZero();
        running.add(DoormanRunner.start(doormanConfig("forward_scoring: 1\nforward_sign_key: keys/decency-sign.key\n")));
        running.add(DetectiveRunner.start(detectiveConfig("accept_scoring: 1\ndoorman_verify_key: keys/decency-sign.pub\n")));

        String answer = ask(running.getFirst(), "bob@example.org", "");
        assertThat(answer).matches("PREPEND X-Decency-Instance: \\d{4}[a-z0-9]{13}\\|[A-Za-z0-9_-]{86}\\|-30\\|\\d{10}\\|"
                + "\\|Module: BASIC_HELO_NOT_FQDN; Score: -30.*");
        String header = answer.substring("PREPEND ".length());

        RecordingNextHop.Delivered spam = send(running.getLast(), mail(header, "4XqTz0001"), "bob@example.org");
        assertThat(spam.head()).contains("X-Decency-Result: SPAM").contains("X-Decency-Score: -30")
                .contains("X-Decency-SpamInfo: Doorman=-30").contains("Subject: hello");

        // The same header on a mail to someone else counts for nothing: not spam, no header added.
        RecordingNextHop.Delivered replayed = send(running.getLast(), mail(header, "4XqTz0002"), "carol@example.org");
        assertThat(replayed.head()).doesNotContain("X-Decency-Result").contains("Subject: hello");
    }

    @Test
    void withoutAcceptScoringOrWithAnUnsignedHeaderNothingCounts() throws Exception {
        running.add(DoormanRunner.start(doormanConfig("")));
        running.add(DetectiveRunner.start(detectiveConfig("")));
        String answer = ask(running.getFirst(), "bob@example.org", "");
        assertThat(answer).contains("|unsigned|-30|");
        RecordingNextHop.Delivered d = send(running.getLast(), mail(answer.substring("PREPEND ".length()), "4XqTz0003"), "bob@example.org");
        assertThat(d.head()).doesNotContain("X-Decency-Result");
    }

    @Test
    void aSharedStoreCarriesTheScoreByQueueIdAndById() throws Exception {
        Clock clock = Clock.systemUTC();
        Store shared = new InMemoryStore(clock);
        var blockingD = Executors.newVirtualThreadPerTaskExecutor();
        var blockingC = Executors.newVirtualThreadPerTaskExecutor();
        var d = DoormanRunner.assemble(doormanConfig(""), clock, sc -> shared, blockingD);
        var c = DetectiveRunner.assemble(detectiveConfig(""), clock, sc -> shared, blockingC);
        running.add(DoormanRunner.launch(d, clock, blockingD));
        running.add(DetectiveRunner.launch(c, blockingC));

        // Postfix named the queue file: the Detective finds the score by the queue id in Postfix's Received line.
        String withQueueId = ask(running.getFirst(), "bob@example.org", "4XqTz0004");
        assertThat(shared.get("doorman:queue:4XqTz0004")).isPresent();
        RecordingNextHop.Delivered byQueue = send(running.getLast(), mail("X-Other: none", "4XqTz0004"), "bob@example.org");
        assertThat(byQueue.head()).contains("X-Decency-Result: SPAM").contains("X-Decency-SpamInfo: Doorman=-30");
        assertThat(send(running.getLast(), mail("X-Other: none", "4XqTz0004"), "carol@example.org").head())
                .as("the copy for the next recipient, under the same queue id").contains("X-Decency-SpamInfo: Doorman=-30");
        assertThat(withQueueId).contains("|unsigned|");

        // No queue id yet (the first recipient): the unsigned header's id is the key.
        String first = ask(running.getFirst(), "bob@example.org", "");
        RecordingNextHop.Delivered byId = send(running.getLast(), mail(first.substring("PREPEND ".length()), "4XqTz0005"), "bob@example.org");
        assertThat(byId.head()).contains("X-Decency-Result: SPAM").contains("X-Decency-Score: -30");
    }
}
