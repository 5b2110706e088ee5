package org.decency.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.decency.checks.support.DryRun;
import org.decency.core.Connection;
import org.decency.core.Envelope;
import org.decency.core.Identifiers;
import org.decency.core.MailAddress;
import org.decency.core.Score;
import org.decency.core.Scores;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.detective.Decision;
import org.decency.detective.SpamPolicy;
import org.decency.mail.SpooledMessage;
import org.decency.message.MessageEdits;
import org.decency.pipeline.Pipeline;
import org.decency.store.InMemoryStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code decency check-message FILE}: runs the Detective's checks on a mail file as the
 * Detective would (its config, its spam threshold) and prints what it would do with the
 * mail, the total and every partial score, and the header changes. Delivers, bounces,
 * quarantines and archives nothing: the store is in memory, and checks that write files
 * (Archive, HoneyCollector) only say where they would. DNS checks do ask DNS.
 */
@Command(name = "check-message", mixinStandardHelpOptions = true,
        description = "Run the Detective's checks on a mail file and print what it would do; delivers nothing.")
final class CheckMessageCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "the mail as a file (header, blank line, body), e.g. a saved .eml")
    Path file;

    @Option(names = {"-c", "--config"}, defaultValue = "${env:DECENCY_HOME:-.}/config/detective.yml",
            description = "detective.yml (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(names = "--from", description = "envelope sender (default: the Return-Path or From field)")
    String from;

    @Option(names = "--to", split = ",", description = "envelope recipients (default: Delivered-To, else To and Cc)")
    List<String> to;

    @Option(names = "--ip", description = "the client's address, as Postfix's XFORWARD would give it (default: none)")
    String ip;

    @Option(names = "--helo", description = "the client's HELO name (default: none)")
    String helo;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            System.err.println("error: no mail file " + file);
            return 2;
        }
        Clock clock = Clock.systemUTC();
        ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        DetectiveRunner.Assembly a = DetectiveRunner.assemble(config, clock, sc -> new InMemoryStore(clock), blocking);
        try {
            a.warnings().forEach(w -> System.out.println("warning: " + w));
            SpamPolicy spam = a.settings().spam();
            Pipeline pipeline = a.pipeline().pipeline()
                    .withThreshold(spam.behavior() == SpamPolicy.Behavior.SCORING ? spam.threshold() : Double.NEGATIVE_INFINITY);
            SpooledMessage mail = new SpooledMessage(file, a.settings().mimeLimits());
            Transaction tx = transaction(mail);
            Verdict v = pipeline.run(tx);
            print(System.out, tx, v, Decision.of(v, spam, a.settings().virus()), spam);
            return 0;
        } finally {
            blocking.shutdownNow();
            a.store().close();
        }
    }

    private Transaction transaction(SpooledMessage mail) {
        MailAddress sender = from != null ? MailAddress.parse(from) : HeaderEnvelope.sender(mail);
        List<MailAddress> rcpts = to != null ? to.stream().map(MailAddress::parse).toList() : HeaderEnvelope.recipients(mail);
        Connection c = new Connection(ip, "", "", helo, "ESMTP", "", "", "", "", "", "", "", "");
        Envelope e = new Envelope(sender, rcpts, mail.size(), rcpts.size(), "", "");
        return new Transaction(Identifiers.next(), Stage.MESSAGE, c, e, Map.of(DryRun.ATTRIBUTE, "1"), mail);
    }

    static void print(PrintStream out, Transaction tx, Verdict v, Decision d, SpamPolicy spam) {
        out.println("envelope: from <" + tx.sender().raw() + "> to " + String.join(", ", tx.envelope().recipients().stream()
                .map(r -> "<" + r.raw() + ">").toList()) + (tx.clientAddress().isEmpty() ? "" : ", client " + tx.clientAddress()));
        out.println("decision: " + d.label() + (d.reason().isEmpty() ? "" : " (" + d.reason() + ")"));
        out.println("total: " + Scores.format(v.total()) + " (spam at " + threshold(spam) + ")"
                + (v.decidedBy().isEmpty() ? "" : ", decided by " + v.decidedBy()));
        out.println("scores:");
        for (Score s : v.scores()) out.println("  " + s.brief() + (s.detail().isEmpty() ? "" : "  " + s.detail()));
        if (!v.flags().isEmpty()) out.println("flags: " + String.join(", ", v.flags().stream().sorted().toList()));
        out.println("header edits:");
        MessageEdits e = v.edits();
        e.added().forEach(f -> out.println("  add " + f.name() + ": " + f.value()));
        e.removed().forEach(n -> out.println("  remove " + n));
        e.replaced().forEach(f -> out.println("  set " + f.name() + ": " + f.value()));
        boolean tag = d.fate() == Decision.Fate.TAG;
        if (tag && !spam.subjectPrefix().isEmpty()) out.println("  subject prefix: " + spam.subjectPrefix());
        if (e.isEmpty() && !(tag && !spam.subjectPrefix().isEmpty())) out.println("  (none)");
        if (tag || spam.noisyHeaders()) out.println("  (and the X-Decency-* result fields, as spam.noisy_headers says)");
    }

    private static String threshold(SpamPolicy spam) {
        return switch (spam.behavior()) {
            case SCORING -> Scores.format(spam.threshold()) + " or below";
            case STRICT -> "below 0";
            case IGNORE -> "never (spam.behavior: ignore)";
        };
    }
}
