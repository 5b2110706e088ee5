package org.decency.detective;

import java.io.IOException;
import java.util.List;
import org.decency.detective.reinject.Reinjector;
import org.decency.detective.smtp.SmtpServer;
import org.decency.detective.spool.Spool;
import org.decency.detective.spool.SpoolEntry;
import org.decency.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Detective: the after-queue content filter. Receives mail over SMTP or LMTP into
 * the spool, checks it with the pipeline's MESSAGE-stage checks and passes it on to the
 * reinjection targets, answering only once the mail is delivered or deliberately
 * handled. At start-up it reports what a crash left in the spool.
 */
public final class Detective implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Detective.class);

    private final DetectiveSettings settings;
    private final Spool spool;
    private final Reinjector reinjector;
    private final SmtpServer server;

    public Detective(DetectiveSettings settings, Pipeline pipeline, MailHandler.ScoreImport scoreImport) {
        this.settings = settings;
        this.spool = new Spool(settings.spoolDir());
        this.reinjector = new Reinjector(settings.reinject());
        MailHandler handler = new MailHandler(pipeline, spool, reinjector, settings.spam(), settings.virus(),
                settings.notificationFrom(), scoreImport, settings.mimeLimits(), settings.bounceOnReinjectFailure(),
                settings.server().lmtp());
        this.server = new SmtpServer(settings.server(), spool, handler);
    }

    public Detective start() throws IOException {
        reportLeftovers();
        server.start();
        return this;
    }

    public int port() {
        return server.port();
    }

    public Spool spool() {
        return spool;
    }

    public Reinjector reinjector() {
        return reinjector;
    }

    /**
     * Mails a crash left in processing/: the sending MTA never got a 250 for them and
     * sends them again, so they are moved to failed/ for the administrator, not delivered
     * a second time.
     */
    private void reportLeftovers() throws IOException {
        reportLeftovers(spool);
    }

    /** As at the Detective's start: what a crash left in {@code spool}'s processing/ goes to failed/, reported. */
    public static void reportLeftovers(Spool spool) throws IOException {
        List<SpoolEntry> left = spool.leftovers();
        for (SpoolEntry e : left) {
            spool.fail(e, "left in processing/ by a crash or hard stop; the sending MTA got no 250 and will send it again");
            log.warn("detective: mail {} from <{}> to {} was left by a crash; kept in {} (the sending MTA will send it again)",
                    e.id(), e.envelope().sender(), e.envelope().recipientAddresses(), spool.failedDir());
        }
        if (!left.isEmpty()) log.warn("detective: {} mail(s) left by a crash moved to {}", left.size(), spool.failedDir());
    }

    @Override
    public void close() {
        server.close();
        reinjector.close();
    }
}
